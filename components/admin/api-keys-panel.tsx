"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";
import { ConfirmAction } from "@/components/console/confirm-action";
import { InlineField } from "@/components/console/inline-field";

interface Key {
  id: string;
  name: string;
  prefix: string;
  createdAt: string | Date;
  lastUsedAt: string | Date | null;
  revokedAt: string | Date | null;
  createdBy: string | null;
}

const day = (d: string | Date | null) => (d ? new Date(d).toISOString().slice(0, 16).replace("T", " ") : "never");

/** Create platform API keys (the secret is shown once) and revoke them. */
export function ApiKeysPanel({ keys }: { keys: Key[] }) {
  const [secret, setSecret] = useState<string | null>(null);
  const create = useAdminMutation(
    (name: string) => ({ url: "/api/admin/api-keys", method: "POST", json: { name } }),
    (name) => `Key "${name}" created`,
  );
  const revoke = useAdminMutation((k: { id: string; name: string }) => ({ url: `/api/admin/api-keys/${k.id}`, method: "DELETE" }), (k) => `Key "${k.name}" revoked`);
  return (
    <div className="grid gap-4">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(String(new FormData(e.currentTarget).get("name") ?? ""), {
            onSuccess: (r) => setSecret((r as { apiKey: { key: string } }).apiKey.key),
          });
        }}
      >
        <InlineField label="Key name" htmlFor="new-key-name">
          <Input id="new-key-name" name="name" placeholder="Billing service" className="sm:w-64" required />
        </InlineField>
        <Button type="submit" disabled={create.isPending}>
          Create key
        </Button>
      </form>
      {secret && (
        <div className="grid gap-2 rounded-md border p-3" data-testid="new-api-key">
          <p className="text-sm">Copy this key now. It will not be shown again.</p>
          <code className="break-all font-mono text-sm">{secret}</code>
          <Button variant="outline" size="sm" className="justify-self-start" onClick={() => setSecret(null)}>
            I copied it
          </Button>
        </div>
      )}
      <Table data-testid="api-keys">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Key</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="sr-only">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.map((k) => (
            <TableRow key={k.id}>
              <TableCell>{k.name}</TableCell>
              <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
              <TableCell>{day(k.lastUsedAt)}</TableCell>
              <TableCell>{k.revokedAt ? <Badge variant="outline">revoked</Badge> : <Badge variant="success">active</Badge>}</TableCell>
              <TableCell className="text-right">
                {!k.revokedAt && (
                  <ConfirmAction
                    label="Revoke"
                    triggerLabel={`Revoke key ${k.name}`}
                    title={`Revoke the key “${k.name}”?`}
                    description={`Every request with the key ${k.prefix}… is refused from now on. This cannot be undone; create a new key to replace it.`}
                    confirmLabel="Revoke key"
                    onConfirm={() => revoke.mutate({ id: k.id, name: k.name })}
                  />
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";

export interface UserApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  mode: "live" | "test";
  permissions: string[] | null;
  rateLimitPerMinute: number;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  useCount: number;
  revokedAt: string | null;
  /** Decided on the server when the page loaded. */
  expired: boolean;
}

interface CreateInput {
  name: string;
  expiresInDays: number | null;
  permissions: string[] | null;
  rateLimitPerMinute?: number;
  mode: "live" | "test";
}

const when = (d: string | null) => (d ? new Date(d).toISOString().slice(0, 16).replace("T", " ") : "never");

/**
 * Create API keys (the secret is shown once), see when and from where each was last used, revoke
 * them. `baseUrl` is /api/account/api-keys (personal) or /api/orgs/<slug>/api-keys (org).
 */
export function UserApiKeysPanel({
  baseUrl,
  keys,
  grantable,
  defaultLimit,
  allowNoExpiry,
  enabled,
}: {
  baseUrl: string;
  keys: UserApiKeyRow[];
  /** Permissions a key may be narrowed to (the creator's own); empty: no permission choice. */
  grantable: string[];
  defaultLimit: number;
  allowNoExpiry: boolean;
  enabled: boolean;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  const create = useAdminMutation((input: CreateInput) => ({ url: baseUrl, method: "POST", json: input }), (input) => `Key "${input.name}" created`);
  const revoke = useAdminMutation((k: { id: string; name: string }) => ({ url: `${baseUrl}/${k.id}`, method: "DELETE" }), (k) => `Key "${k.name}" revoked`);
  return (
    <div className="grid gap-4">
      {enabled ? (
        <form
          className="grid gap-3 rounded-md border p-3"
          aria-label="New API key"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const expiry = String(f.get("expiry") ?? "90");
            const picked = f.getAll("permission").map(String);
            const limit = String(f.get("limit") ?? "").trim();
            create.mutate(
              {
                name: String(f.get("name") ?? ""),
                expiresInDays: expiry === "never" ? null : Number(expiry),
                permissions: f.get("narrow") === "on" ? picked : null,
                ...(limit ? { rateLimitPerMinute: Number(limit) } : {}),
                mode: f.get("mode") === "test" ? "test" : "live",
              },
              { onSuccess: (r) => setSecret((r as { apiKey: { key: string } }).apiKey.key) },
            );
          }}
        >
          <div className="flex flex-wrap items-end gap-2">
            <div className="grid gap-1">
              <Label htmlFor="key-name">Name</Label>
              <Input id="key-name" name="name" placeholder="Reporting script" className="w-56" required minLength={2} maxLength={80} />
            </div>
            <div className="grid gap-1">
              <Label htmlFor="key-expiry">Expires</Label>
              <select id="key-expiry" name="expiry" defaultValue="90" className="h-9 rounded-md border bg-background px-2 text-sm">
                <option value="7">in 7 days</option>
                <option value="30">in 30 days</option>
                <option value="90">in 90 days</option>
                <option value="365">in a year</option>
                {allowNoExpiry && <option value="never">never</option>}
              </select>
            </div>
            <div className="grid gap-1">
              <Label htmlFor="key-limit">Requests per minute</Label>
              <Input id="key-limit" name="limit" type="number" min={1} max={1000000} placeholder={String(defaultLimit)} className="w-36" />
            </div>
            <div className="grid gap-1">
              <Label htmlFor="key-mode">Mode</Label>
              <select id="key-mode" name="mode" defaultValue="live" className="h-9 rounded-md border bg-background px-2 text-sm">
                <option value="live">live (ghk_live_)</option>
                <option value="test">test (ghk_test_)</option>
              </select>
            </div>
          </div>
          {grantable.length > 0 && (
            <fieldset className="grid gap-2">
              <div className="flex items-center gap-2">
                <Checkbox id="key-narrow" name="narrow" />
                <Label htmlFor="key-narrow">Only these permissions (otherwise all of the key&apos;s role, as the plan grants them at each use)</Label>
              </div>
              <div className="flex flex-wrap gap-3 pl-6">
                {grantable.map((p) => (
                  <div key={p} className="flex items-center gap-1">
                    <Checkbox id={`perm-${p}`} name="permission" value={p} />
                    <Label htmlFor={`perm-${p}`} className="font-mono text-xs">
                      {p}
                    </Label>
                  </div>
                ))}
              </div>
            </fieldset>
          )}
          <Button type="submit" className="justify-self-start" disabled={create.isPending}>
            Create key
          </Button>
        </form>
      ) : (
        <p className="text-sm text-muted-foreground" data-testid="api-keys-disabled">
          Platform staff switched this kind of API key off: existing keys do not validate and no new ones can be created.
        </p>
      )}
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
            <TableHead>Permissions</TableHead>
            <TableHead>Limit</TableHead>
            <TableHead>Expires</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Uses</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="sr-only">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.length === 0 && (
            <TableRow>
              <TableCell colSpan={9} className="text-muted-foreground">
                No keys yet.
              </TableCell>
            </TableRow>
          )}
          {keys.map((k) => {
            return (
              <TableRow key={k.id}>
                <TableCell>{k.name}</TableCell>
                <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
                <TableCell className="font-mono text-xs">{k.permissions ? k.permissions.join(", ") || "none" : "all"}</TableCell>
                <TableCell>{k.rateLimitPerMinute}/min</TableCell>
                <TableCell>{k.expiresAt ? when(k.expiresAt) : "never"}</TableCell>
                <TableCell>
                  {when(k.lastUsedAt)}
                  {k.lastUsedIp && <span className="text-xs text-muted-foreground"> from {k.lastUsedIp}</span>}
                </TableCell>
                <TableCell>{k.useCount}</TableCell>
                <TableCell>
                  {k.revokedAt ? <Badge variant="outline">revoked</Badge> : k.expired ? <Badge variant="outline">expired</Badge> : <Badge variant="success">active</Badge>}
                </TableCell>
                <TableCell className="text-right">
                  {!k.revokedAt && (
                    <Button size="sm" variant="ghost" onClick={() => revoke.mutate({ id: k.id, name: k.name })}>
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

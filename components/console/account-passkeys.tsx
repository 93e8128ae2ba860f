"use client";

import { useState } from "react";
import { passkeyErrorMessage, passkeyProof, registerPasskey } from "@/components/login/passkey-ceremony";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fetchJson } from "@/lib/queries/fetch-json";
import { type PasskeyItem, usePasskeyMutation, usePasskeys } from "@/lib/queries/account/use-passkeys";

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : "never");
/** Ceremony errors (cancelled, refused) become a readable message for the toast. */
const ceremony = <T,>(run: (input: T) => Promise<unknown>) => async (input: T) => {
  try {
    return await run(input);
  } catch (err) {
    throw Object.assign(new Error(passkeyErrorMessage(err)), { code: "passkey" });
  }
};

/** Passkeys on the account page: register (named), list, remove (with a fresh passkey or authenticator code). */
export function AccountPasskeys() {
  const list = usePasskeys();
  const add = usePasskeyMutation<string>(
    ceremony((name) => registerPasskey("/api/account/passkeys/options", "/api/account/passkeys", name)),
    "Passkey added",
  );
  const [removing, setRemoving] = useState<PasskeyItem | null>(null);

  if (list.isPending) return <Skeleton className="h-24" />;
  return (
    <div className="grid gap-4">
      {list.data && list.data.length > 0 ? (
        <Table data-testid="passkeys">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Added</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.map((p) => (
              <TableRow key={p.id}>
                <TableCell>
                  <span className="flex items-center gap-2">
                    {p.name}
                    {p.backedUp && <Badge variant="secondary">synced</Badge>}
                    {p.flagged && <Badge variant="destructive">blocked</Badge>}
                  </span>
                </TableCell>
                <TableCell>{when(p.createdAt)}</TableCell>
                <TableCell>{when(p.lastUsedAt)}</TableCell>
                <TableCell className="text-right">
                  <Button variant="outline" size="sm" onClick={() => setRemoving(p)} aria-label={`Remove ${p.name}`}>
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-sm text-muted-foreground">No passkeys yet.</p>
      )}
      {removing && <RemovePasskey passkey={removing} canUsePasskey={list.data!.some((p) => !p.flagged)} onDone={() => setRemoving(null)} />}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const name = String(new FormData(form).get("name") ?? "").trim();
          add.mutate(name, { onSuccess: () => form.reset() });
        }}
      >
        <FormField label="New passkey name" id="new-passkey-name">
          <Input name="name" placeholder="e.g. Work laptop" maxLength={60} required {...fieldA11y("new-passkey-name")} />
        </FormField>
        <Button type="submit" disabled={add.isPending}>
          {add.isPending ? "Waiting for your passkey…" : "Add a passkey"}
        </Button>
      </form>
    </div>
  );
}

/** Removal asks for a fresh check: one of the user's passkeys, or a code from the authenticator app. */
function RemovePasskey({ passkey, canUsePasskey, onDone }: { passkey: PasskeyItem; canUsePasskey: boolean; onDone: () => void }) {
  const path = `/api/account/passkeys/${passkey.id}`;
  const remove = usePasskeyMutation<{ code: string } | { withPasskey: true }>(
    ceremony(async (input) => {
      const proof = "code" in input ? input : { response: await passkeyProof("/api/account/passkeys/reauth") };
      return fetchJson(path, { method: "DELETE", json: proof });
    }),
    "Passkey removed",
  );
  return (
    <div className="grid gap-3 rounded-md border p-4" data-testid="remove-passkey">
      <p className="text-sm">
        Remove <strong>{passkey.name}</strong>? Confirm with a passkey or a code from your authenticator app.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        {canUsePasskey && (
          <Button disabled={remove.isPending} onClick={() => remove.mutate({ withPasskey: true }, { onSuccess: onDone })}>
            Confirm with a passkey
          </Button>
        )}
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const code = String(new FormData(e.currentTarget).get("code") ?? "").trim();
            remove.mutate({ code }, { onSuccess: onDone });
          }}
        >
          <FormField label="6-digit code" id="remove-passkey-code">
            <Input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...fieldA11y("remove-passkey-code")} />
          </FormField>
          <Button type="submit" variant="destructive" disabled={remove.isPending}>
            Remove with code
          </Button>
        </form>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

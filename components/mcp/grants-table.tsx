"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ConfirmAction } from "@/components/console/confirm-action";

export interface GrantRow {
  id: string;
  clientId: string;
  clientName: string;
  clientVerified: boolean;
  userId: string;
  userEmail: string;
  orgName: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string } };

function when(iso: string | null) {
  return iso ? new Date(iso).toLocaleString() : "Never";
}

/**
 * Connected apps: for a user (their own grants, revoke each) or for an org admin (every member's
 * grants, revoke per grant, per user or per client, and block a client for the org).
 */
export function GrantsTable({
  grants,
  mode,
  revokeGrant,
  revokeUser,
  revokeClient,
  blockClient,
}: {
  grants: GrantRow[];
  mode: "user" | "admin";
  revokeGrant: (input: { grantId: string }) => Promise<Result>;
  revokeUser?: (input: { userId: string }) => Promise<Result>;
  revokeClient?: (input: { clientId: string }) => Promise<Result>;
  blockClient?: (input: { clientId: string; blocked: boolean }) => Promise<Result>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const act = (fn: () => Promise<Result>, done: string) =>
    startTransition(async () => {
      const r = await fn();
      if (r.ok) {
        toast.success(done);
        router.refresh();
      } else toast.error(r.error.message);
    });

  if (grants.length === 0)
    return (
      <p className="text-sm text-muted-foreground" data-testid="no-grants">
        No connected apps.
      </p>
    );
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Application</TableHead>
          {mode === "admin" ? <TableHead>Member</TableHead> : <TableHead>Organization</TableHead>}
          <TableHead>Scopes</TableHead>
          <TableHead>Approved</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead className="text-right">Actions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {grants.map((g) => (
          <TableRow key={g.id} data-testid={`grant-row-${g.clientName}`}>
            <TableCell>
              <span className="font-medium">{g.clientName}</span>
              {!g.clientVerified && (
                <Badge variant="outline" className="ml-1">
                  Unverified
                </Badge>
              )}
            </TableCell>
            <TableCell>{mode === "admin" ? g.userEmail : g.orgName}</TableCell>
            <TableCell className="text-xs whitespace-normal">{g.scopes.join(" ")}</TableCell>
            <TableCell className="text-xs">{when(g.createdAt)}</TableCell>
            <TableCell className="text-xs">{when(g.lastUsedAt)}</TableCell>
            <TableCell>
              <div className="flex flex-wrap justify-end gap-1">
                <ConfirmAction
                  label="Revoke"
                  variant="destructive"
                  disabled={pending}
                  title={`Revoke ${g.clientName}'s access?`}
                  description={`${g.clientName} loses the access ${g.userEmail} granted it in ${g.orgName}; its tokens stop working at once.`}
                  confirmLabel="Revoke access"
                  onConfirm={() => act(() => revokeGrant({ grantId: g.id }), "Access revoked")}
                />
                {mode === "admin" && revokeUser && (
                  <ConfirmAction
                    label="Revoke all of member"
                    variant="outline"
                    disabled={pending}
                    title={`Revoke every app of ${g.userEmail}?`}
                    description={`Every app ${g.userEmail} connected in this organization loses its access and tokens at once.`}
                    confirmLabel="Revoke all their apps"
                    onConfirm={() => act(() => revokeUser({ userId: g.userId }), `Revoked every app of ${g.userEmail}`)}
                  />
                )}
                {mode === "admin" && revokeClient && (
                  <ConfirmAction
                    label="Revoke all of app"
                    variant="outline"
                    disabled={pending}
                    title={`Revoke every grant of ${g.clientName}?`}
                    description={`Every member who connected ${g.clientName} in this organization loses it; its tokens stop working at once.`}
                    confirmLabel="Revoke all its grants"
                    onConfirm={() => act(() => revokeClient({ clientId: g.clientId }), `Revoked every grant of ${g.clientName}`)}
                  />
                )}
                {mode === "admin" && blockClient && (
                  <ConfirmAction
                    label="Block app"
                    variant="outline"
                    disabled={pending}
                    title={`Block ${g.clientName}?`}
                    description={`${g.clientName} can no longer be connected in this organization, and every grant and token it holds here ends.`}
                    confirmLabel="Block app"
                    onConfirm={() => act(() => blockClient({ clientId: g.clientId, blocked: true }), `${g.clientName} blocked`)}
                  />
                )}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Clients an org blocked, with unblock. */
export function BlockedClients({
  blocks,
  unblock,
}: {
  blocks: { clientId: string; clientName: string }[];
  unblock: (input: { clientId: string; blocked: boolean }) => Promise<Result>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  if (blocks.length === 0) return <p className="text-sm text-muted-foreground">No blocked apps.</p>;
  return (
    <ul className="grid gap-2">
      {blocks.map((b) => (
        <li key={b.clientId} className="flex items-center justify-between gap-2 text-sm">
          <span>
            {b.clientName} <span className="font-mono text-xs text-muted-foreground">{b.clientId}</span>
          </span>
          <Button
            size="sm"
            variant="outline"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const r = await unblock({ clientId: b.clientId, blocked: false });
                if (r.ok) {
                  toast.success("Unblocked");
                  router.refresh();
                } else toast.error(r.error.message);
              })
            }
          >
            Unblock
          </Button>
        </li>
      ))}
    </ul>
  );
}

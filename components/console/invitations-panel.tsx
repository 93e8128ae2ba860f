"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { inviteRequest, resendRequest, revokeRequest, useInvitationAction, useInvitations } from "@/lib/queries/members/use-invitations";
import type { RoleOption } from "./members-table";
import { ConfirmAction } from "@/components/console/confirm-action";

/** Invite by email with a role, and the invitations with their status (resend, revoke). */
export function InvitationsPanel({ slug, roles }: { slug: string; roles: RoleOption[] }) {
  const invitations = useInvitations(slug);
  const invite = useInvitationAction(slug, inviteRequest(slug), (i) => `Invitation sent to ${i.email}`);
  const resend = useInvitationAction(slug, resendRequest(slug), (i) => `Invitation sent again to ${i.email}`);
  const revoke = useInvitationAction(slug, revokeRequest(slug), (i) => `Invitation to ${i.email} withdrawn`);
  const defaultRole = roles.find((r) => r.key === "member")?.key ?? roles[0]?.key ?? "";
  // A refused invitation names what was wrong under the field (and in the toast).
  const emailError = invite.error ? (invite.error.fields?.email ?? invite.error.message) : undefined;
  return (
    <div className="grid gap-4">
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const target = e.currentTarget;
          invite.mutate(
            { email: String(form.get("email") ?? ""), roleKey: String(form.get("roleKey") ?? defaultRole) },
            { onSuccess: () => target.reset() },
          );
        }}
      >
        <FormField label="Email" id="invite-email" className="w-full flex-1 sm:min-w-64" error={emailError}>
          <Input name="email" type="email" required {...fieldA11y("invite-email", emailError)} onChange={() => invite.error && invite.reset()} />
        </FormField>
        <div className="grid gap-2">
          <span className="text-sm font-medium" id="invite-role-label">
            Role
          </span>
          <Select name="roleKey" defaultValue={defaultRole}>
            <SelectTrigger aria-labelledby="invite-role-label">
              <SelectValue placeholder={roles.find((r) => r.key === defaultRole)?.name} />
            </SelectTrigger>
            <SelectContent>
              {roles.map((r) => (
                <SelectItem key={r.key} value={r.key}>
                  {r.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <Button type="submit" disabled={invite.isPending}>
          Send invitation
        </Button>
      </form>
      <Table data-testid="invitations">
        <TableHeader>
          <TableRow>
            <TableHead>Email</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Expires</TableHead>
            <TableHead className="sr-only">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(invitations.data?.invitations ?? []).map((i) => (
            <TableRow key={i.id}>
              <TableCell>{i.email}</TableCell>
              <TableCell>{i.role}</TableCell>
              <TableCell>
                <Badge variant={i.status === "pending" ? "secondary" : i.status === "accepted" ? "success" : "outline"}>{i.status}</Badge>
              </TableCell>
              <TableCell>{i.expiresAt.slice(0, 10)}</TableCell>
              <TableCell className="text-right">
                {i.status === "pending" && (
                  <span className="flex justify-end gap-1">
                    <Button variant="ghost" size="sm" onClick={() => resend.mutate({ id: i.id, email: i.email })}>
                      Resend
                    </Button>
                    <ConfirmAction
                      label="Revoke"
                      triggerLabel={`Revoke the invitation of ${i.email}`}
                      title={`Revoke the invitation of ${i.email}?`}
                      description="The link in their mail stops working. You can invite them again later."
                      confirmLabel="Revoke invitation"
                      onConfirm={() => revoke.mutate({ id: i.id, email: i.email })}
                    />
                  </span>
                )}
              </TableCell>
            </TableRow>
          ))}
          {invitations.data?.invitations.length === 0 && (
            <TableRow>
              <TableCell colSpan={5} className="text-muted-foreground">
                No invitations yet.
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </div>
  );
}

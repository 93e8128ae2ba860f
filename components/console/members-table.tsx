"use client";

import { useDeferredValue, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useChangeRole } from "@/lib/queries/members/use-change-role";
import { useMembers } from "@/lib/queries/members/use-members";
import { useRemoveMember } from "@/lib/queries/members/use-remove-member";
import { RequirePasswordChangeButton } from "./require-password-change-button";
import { ConfirmAction } from "@/components/console/confirm-action";

export interface RoleOption {
  key: string;
  name: string;
  rank: number;
}

const day = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 10) : "never");

/** Members with search, role change (only roles up to the viewer's own) and removal. */
export function MembersTable({ slug, roles, myRank, canManage, me }: { slug: string; roles: RoleOption[]; myRank: number; canManage: boolean; me: string }) {
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const members = useMembers(slug, deferred);
  const changeRole = useChangeRole(slug);
  const remove = useRemoveMember(slug);
  const rows = members.data?.pages.flatMap((p) => p.members) ?? [];
  const grantable = roles.filter((r) => r.rank <= myRank);
  const total = members.data?.pages[0]?.total;
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Input
          type="search"
          placeholder="Search by name or email"
          aria-label="Search members"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="max-w-sm"
        />
        <p className="text-sm text-muted-foreground" aria-live="polite" data-testid="member-count">
          {total === undefined ? "" : deferred ? `${total} ${total === 1 ? "member matches" : "members match"}` : `${total} ${total === 1 ? "member" : "members"}`}
        </p>
      </div>
      <Table data-testid="members">
        <TableHeader>
          <TableRow>
            <TableHead>Member</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Two-factor</TableHead>
            <TableHead>Last sign-in</TableHead>
            <TableHead className="sr-only">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.isPending &&
            Array.from({ length: 3 }, (_, i) => (
              <TableRow key={i}>
                <TableCell colSpan={5}>
                  <Skeleton className="h-6" />
                </TableCell>
              </TableRow>
            ))}
          {rows.map((m) => {
            const editable = canManage && m.role.rank <= myRank && m.email !== me;
            return (
              <TableRow key={m.userId} data-testid={`member-${m.email}`}>
                <TableCell>
                  <div className="font-medium">
                    {m.name ?? "—"}
                    {m.email === me && (
                      <Badge variant="outline" className="ml-2 align-middle">
                        you
                      </Badge>
                    )}
                  </div>
                  <div className="text-muted-foreground">{m.email}</div>
                </TableCell>
                <TableCell>
                  {editable ? (
                    <Select
                      value={m.role.key}
                      onValueChange={(key) => {
                        const role = roles.find((r) => r.key === key);
                        if (role) changeRole.mutate({ userId: m.userId, role });
                      }}
                    >
                      <SelectTrigger size="sm" aria-label={`Role of ${m.email}: ${m.role.name}`}>
                        <SelectValue>{m.role.name}</SelectValue>
                      </SelectTrigger>
                      <SelectContent>
                        {grantable.map((r) => (
                          <SelectItem key={r.key} value={r.key}>
                            {r.name}
                          </SelectItem>
                        ))}
                      </SelectContent>
                    </Select>
                  ) : (
                    <Badge variant="secondary">{m.role.name}</Badge>
                  )}
                </TableCell>
                <TableCell>{m.mfaEnabled ? <Badge variant="success">on</Badge> : <Badge variant="outline">off</Badge>}</TableCell>
                <TableCell>{day(m.lastSignInAt)}</TableCell>
                <TableCell className="text-right">
                  {editable && <RequirePasswordChangeButton endpoint={`/api/orgs/${slug}/members/${m.userId}/require-password-change`} email={m.email} />}
                  {editable && (
                    <ConfirmAction
                      label="Remove"
                      triggerLabel={`Remove ${m.email}`}
                      disabled={remove.isPending}
                      title={`Remove ${m.email}?`}
                      description={`${m.name ?? m.email} loses access to this organization at once, and every app they connected here is disconnected. You can invite them again later.`}
                      confirmLabel="Remove member"
                      onConfirm={() => remove.mutate({ userId: m.userId, email: m.email })}
                    />
                  )}
                </TableCell>
              </TableRow>
            );
          })}
          {!members.isPending && rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={5} className="text-muted-foreground">
                {deferred ? "No member matches." : "No members yet."}
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
      {members.error && <p className="text-sm text-destructive">{members.error.message}</p>}
      {members.hasNextPage && (
        <Button variant="outline" className="justify-self-start" onClick={() => void members.fetchNextPage()} disabled={members.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </div>
  );
}

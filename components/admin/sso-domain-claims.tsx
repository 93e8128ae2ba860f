"use client";

import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useSsoAction } from "@/lib/queries/sso/use-sso-action";

/** Pending domain claims across orgs, each with an Approve button (platform admins). */
export function SsoDomainClaims({ claims }: { claims: { id: string; domain: string; org: string; createdAt: string }[] }) {
  const approve = useSsoAction<{ id: string }>("POST", (i) => `/api/admin/sso-domains/${i.id}/approve`, "Domain approved");
  if (!claims.length) return <p className="text-sm text-muted-foreground">No claims are waiting.</p>;
  return (
    <Table data-testid="sso-domain-claims">
      <TableHeader>
        <TableRow>
          <TableHead>Domain</TableHead>
          <TableHead>Organization</TableHead>
          <TableHead>Claimed</TableHead>
          <TableHead />
        </TableRow>
      </TableHeader>
      <TableBody>
        {claims.map((c) => (
          <TableRow key={c.id}>
            <TableCell className="font-medium">{c.domain}</TableCell>
            <TableCell>{c.org}</TableCell>
            <TableCell>{new Date(c.createdAt).toLocaleString()}</TableCell>
            <TableCell>
              <Button size="sm" disabled={approve.isPending} onClick={() => approve.mutate({ id: c.id })} aria-label={`Approve ${c.domain}`}>
                Approve
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

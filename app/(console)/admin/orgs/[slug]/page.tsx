import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RequirePasswordChangeButton } from "@/components/console/require-password-change-button";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listMembers } from "@/lib/orgs/members";
import { orgBySlug } from "@/lib/users/lookup";
import { AdminPage } from "../../admin-page";

export const metadata: Metadata = { title: "Organization members" };

export default function AdminOrgPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <AdminPage
      title="Organization members"
      render={async () => {
        const { slug } = await params;
        const org = await orgBySlug(slug);
        if (!org) notFound();
        const { members } = await listMembers(org.id, { limit: 100 });
        return (
          <div className="grid gap-3">
            <p className="text-sm text-muted-foreground">{org.name}</p>
            <Table data-testid="org-members">
              <TableHeader>
                <TableRow>
                  <TableHead>Member</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Two-factor</TableHead>
                  <TableHead className="sr-only">Actions</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {members.map((m) => (
                  <TableRow key={m.userId}>
                    <TableCell>
                      {m.name ?? "—"} <span className="text-muted-foreground">{m.email}</span>
                    </TableCell>
                    <TableCell>
                      <Badge variant="secondary">{m.role.name}</Badge>
                    </TableCell>
                    <TableCell>{m.mfaEnabled ? "on" : "off"}</TableCell>
                    <TableCell className="text-right">
                      <RequirePasswordChangeButton endpoint={`/api/admin/users/${m.userId}/require-password-change`} email={m.email} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        );
      }}
    />
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { CreateOrgForm } from "@/components/admin/create-org-form";
import { OrgPlanSwitcher } from "@/components/admin/org-plan-switcher";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listAllOrgs } from "@/lib/orgs/admin-list";
import { listMappings } from "@/lib/plans/mappings";
import { AdminPage } from "../admin-page";

export const metadata: Metadata = { title: "Organizations" };

export default function AdminOrgsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  return (
    <AdminPage
      title="Organizations"
      description="Every organization and the plan it is on. Preview a plan change before saving it."
      render={async () => {
        const { q } = await searchParams;
        const [orgList, mappings] = await Promise.all([listAllOrgs(q?.slice(0, 100)), listMappings()]);
        return (
          <div className="grid gap-4">
            <form className="flex gap-2">
              <input name="q" defaultValue={q} placeholder="Search organizations" aria-label="Search organizations" className="h-9 w-64 rounded-md border bg-background px-3 text-sm" />
            </form>
            <Table data-testid="orgs">
              <TableHeader>
                <TableRow>
                  <TableHead>Organization</TableHead>
                  <TableHead>Members</TableHead>
                  <TableHead>Plan</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {orgList.map((o) => (
                  <TableRow key={o.id}>
                    <TableCell className="align-top">
                      <Link href={`/admin/orgs/${o.slug}`} className="font-medium underline-offset-4 hover:underline">
                        {o.name}
                      </Link>
                      <div className="text-muted-foreground">{o.slug}</div>
                    </TableCell>
                    <TableCell className="align-top">{o.members}</TableCell>
                    <TableCell className="grid gap-2 whitespace-normal">
                      <Badge variant="secondary">{o.plan}</Badge>
                      <OrgPlanSwitcher slug={o.slug} current={o.mappingId} mappings={mappings.map((m) => ({ id: m.id, name: m.name }))} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <CreateOrgForm mappings={mappings.map((m) => ({ id: m.id, name: m.name, isDefault: m.isDefault }))} />
          </div>
        );
      }}
    />
  );
}

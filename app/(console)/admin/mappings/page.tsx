import type { Metadata } from "next";
import Link from "next/link";
import { CreateMappingForm } from "@/components/admin/create-mapping-form";
import { DefaultPlanButton } from "@/components/admin/default-plan-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listMappings } from "@/lib/plans/mappings";
import { AdminPage } from "../admin-page";

export const metadata: Metadata = { title: "Plans" };

export default function AdminMappingsPage() {
  return (
    <AdminPage
      title="Plans (role mappings)"
      description="Each org subscribes to exactly one plan; new orgs get the default one. Edits apply on every member's next request."
      render={async () => {
        const mappings = await listMappings();
        return (
          <div className="grid gap-4">
            <Table data-testid="mappings">
              <TableHeader>
                <TableRow>
                  <TableHead>Plan</TableHead>
                  <TableHead>Organizations</TableHead>
                  <TableHead>New orgs</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {mappings.map((m) => (
                  <TableRow key={m.id}>
                    <TableCell>
                      <Link href={`/admin/mappings/${m.id}`} className="font-medium underline-offset-4 hover:underline">
                        {m.name}
                      </Link>
                      <div className="text-muted-foreground">{m.description}</div>
                    </TableCell>
                    <TableCell>{m.orgCount}</TableCell>
                    <TableCell>
                      <DefaultPlanButton mapping={m} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <CreateMappingForm mappings={mappings} />
          </div>
        );
      }}
    />
  );
}

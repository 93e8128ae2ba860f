import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MappingEditor } from "@/components/admin/mapping-editor";
import { subscribedOrgs } from "@/lib/plans/mappings";
import { mappingMatrix } from "@/lib/rbac/matrix";
import { AdminPage } from "../../admin-page";

export const metadata: Metadata = { title: "Edit plan" };

export default function AdminMappingPage({ params }: { params: Promise<{ id: string }> }) {
  return (
    <AdminPage
      title="Edit plan"
      description="Tick what each role may do on this plan."
      render={async () => {
        const { id } = await params;
        if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
        const [matrix, orgList] = await Promise.all([mappingMatrix(id), subscribedOrgs(id)]);
        if (!matrix) notFound();
        return (
          <div className="grid gap-6">
            <MappingEditor mapping={matrix.mapping} roles={matrix.roles} permissions={matrix.permissions} granted={matrix.granted} />
            <section>
              <h2 className="font-semibold">Subscribed organizations</h2>
              <ul className="mt-2 list-disc pl-5 text-sm">
                {orgList.map((o) => (
                  <li key={o.id}>
                    <Link href="/admin/orgs" className="underline-offset-4 hover:underline">
                      {o.name}
                    </Link>
                  </li>
                ))}
                {orgList.length === 0 && <li className="list-none text-muted-foreground">None.</li>}
              </ul>
            </section>
          </div>
        );
      }}
    />
  );
}

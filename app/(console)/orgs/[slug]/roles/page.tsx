import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { PermissionMatrix } from "@/components/console/permission-matrix";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireOrgMember } from "@/lib/auth/guards";
import { orgMatrix } from "@/lib/rbac/matrix";
import { ConsoleFrame } from "../../../console-frame";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "Roles" };

export default function RolesPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="table" />}>
      <Roles params={params} />
    </Suspense>
  );
}

async function Roles({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { minRole: "admin" });
  const matrix = await orgMatrix(org.id);
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="Roles">
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>What roles can do</h1>
          </CardTitle>
          <CardDescription>
            {org.name} is on the <strong data-testid="plan-name">{matrix.mapping.name}</strong> plan. Platform staff define what each plan grants.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <PermissionMatrix roles={matrix.roles} permissions={matrix.permissions} granted={matrix.granted} />
        </CardContent>
      </Card>
    </ConsoleFrame>
  );
}

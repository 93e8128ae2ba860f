import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { InvitationsPanel } from "@/components/console/invitations-panel";
import { MembersTable } from "@/components/console/members-table";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireOrgMember } from "@/lib/auth/guards";
import { hasPermission } from "@/lib/rbac";
import { listRoles } from "@/lib/rbac/roles";
import { ConsoleFrame } from "../../../console-frame";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "Members" };

export default function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="table" />}>
      <Members params={params} />
    </Suspense>
  );
}

async function Members({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { minRole: "admin" });
  const [roles, canManage] = await Promise.all([listRoles(), hasPermission(user, org, "members::manage")]);
  const grantable = roles.filter((r) => r.rank <= role.rank);
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="Members">
      <div className="grid gap-4">
        <Card>
          <CardHeader>
            <CardTitle>
              <h1>Members of {org.name}</h1>
            </CardTitle>
            <CardDescription>Role changes apply on the member&apos;s next request. Removing a member also revokes their connected apps here.</CardDescription>
          </CardHeader>
          <CardContent>
            <MembersTable slug={slug} roles={roles} myRank={role.rank} canManage={canManage} me={user.email} />
          </CardContent>
        </Card>
        {canManage && (
          <Card>
            <CardHeader>
              <CardTitle>Invitations</CardTitle>
              <CardDescription>Links work once and expire after 7 days.</CardDescription>
            </CardHeader>
            <CardContent>
              <InvitationsPanel slug={slug} roles={grantable} />
            </CardContent>
          </Card>
        )}
      </div>
    </ConsoleFrame>
  );
}

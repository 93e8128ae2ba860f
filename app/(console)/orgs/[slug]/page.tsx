import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireOrgMember } from "@/lib/auth/guards";
import { countMembers } from "@/lib/orgs/queries";
import { listPermissions } from "@/lib/rbac";
import { ConsoleFrame } from "../../console-frame";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "Overview" };

export default function OrgOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="overview" />}>
      <OrgOverview params={params} />
    </Suspense>
  );
}

async function OrgOverview({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug);
  const [perms, memberCount] = await Promise.all([listPermissions(user, org), countMembers(org.id)]);
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title={org.name}>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>
              <h1 data-testid="org-name">{org.name}</h1>
            </CardTitle>
            <CardDescription>
              {memberCount} members · you are <Badge variant="secondary">{role.name}</Badge>
            </CardDescription>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">
            {org.requireMfa ? "Members must use two-factor authentication." : "Two-factor authentication is optional."}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>What you can do here</CardTitle>
            <CardDescription>Your permissions under this organization&apos;s plan.</CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="flex flex-wrap gap-2" aria-label="Your permissions">
              {perms.map((p) => (
                <li key={p}>
                  <Badge variant="outline" className="font-mono">
                    {p}
                  </Badge>
                </li>
              ))}
              {perms.length === 0 && <li className="text-sm text-muted-foreground">No permissions.</li>}
            </ul>
          </CardContent>
        </Card>
      </div>
    </ConsoleFrame>
  );
}

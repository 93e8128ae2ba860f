import { ConsoleSkeleton } from "@/components/console/console-skeleton";
import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { BlockedClients, GrantsTable } from "@/components/mcp/grants-table";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireOrgMember } from "@/lib/auth/guards";
import { listOrgBlocks, listOrgGrants } from "@/lib/oauth/connected-apps";
import { ConsoleFrame } from "../../../console-frame";
import {
  revokeOrgClientGrantsAction,
  revokeOrgGrantAction,
  revokeOrgUserGrantsAction,
  setOrgClientBlockedAction,
} from "./actions";

export const metadata: Metadata = { title: "Connected apps" };

export default function OrgConnectedAppsPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="table" />}>
      <OrgConnectedApps params={params} />
    </Suspense>
  );
}

async function OrgConnectedApps({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { minRole: "admin" });
  const [grants, blocks] = await Promise.all([listOrgGrants(org.id), listOrgBlocks(org.id)]);
  const rows = grants.map((g) => ({
    ...g,
    createdAt: g.createdAt.toISOString(),
    lastUsedAt: g.lastUsedAt?.toISOString() ?? null,
  }));
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="Connected apps">
      <h1 className="text-xl font-semibold">Connected apps</h1>
      <p className="text-sm text-muted-foreground">
        Every application your members allowed to act for them in {org.name}. Revoking ends its tokens at
        once.
      </p>
      <GrantsTable
        mode="admin"
        grants={rows}
        revokeGrant={revokeOrgGrantAction.bind(null, slug)}
        revokeUser={revokeOrgUserGrantsAction.bind(null, slug)}
        revokeClient={revokeOrgClientGrantsAction.bind(null, slug)}
        blockClient={setOrgClientBlockedAction.bind(null, slug)}
      />
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Blocked apps</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <BlockedClients blocks={blocks} unblock={setOrgClientBlockedAction.bind(null, slug)} />
        </CardContent>
      </Card>
    </ConsoleFrame>
  );
}

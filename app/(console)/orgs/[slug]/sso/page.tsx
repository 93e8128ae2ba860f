import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { SsoPanel } from "@/components/console/sso-panel";
import { Skeleton } from "@/components/ui/skeleton";
import { requireOrgMember } from "@/lib/auth/guards";
import { listRoles } from "@/lib/rbac/roles";
import { listConnections } from "@/lib/sso/connections";
import { listDomains } from "@/lib/sso/domains";
import { oidcRedirectUri } from "@/lib/sso/oidc";
import { getSsoSettings } from "@/lib/sso/settings";
import { ConsoleFrame } from "../../../console-frame";

export const metadata: Metadata = { title: "Enterprise SSO" };

export default function OrgSsoPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<Skeleton className="m-8 h-40" />}>
      <OrgSso params={params} />
    </Suspense>
  );
}

async function OrgSso({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { permission: "sso::manage" });
  const [connections, domains, settings, roles] = await Promise.all([listConnections(org.id), listDomains(org.id), getSsoSettings(org.id), listRoles()]);
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="Enterprise SSO">
      <h1 className="mb-4 text-2xl font-semibold">Enterprise SSO</h1>
      <SsoPanel
        slug={slug}
        connections={connections}
        domains={domains}
        settings={settings}
        roles={roles.filter((r) => r.rank <= role.rank).map((r) => ({ key: r.key, name: r.name }))}
        redirectUri={oidcRedirectUri()}
      />
    </ConsoleFrame>
  );
}

import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { UserApiKeysPanel } from "@/components/api-keys/user-api-keys-panel";
import { Skeleton } from "@/components/ui/skeleton";
import { requireOrgMember } from "@/lib/auth/guards";
import { getPlatformSettings } from "@/lib/platform/settings";
import { listPermissions } from "@/lib/rbac";
import { listOrgApiKeys } from "@/lib/user-api-keys/list";
import { toKeyRow } from "@/lib/user-api-keys/rows";
import { ConsoleFrame } from "../../../console-frame";

export const metadata: Metadata = { title: "API keys" };

export default function OrgApiKeysPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<Skeleton className="m-8 h-40" />}>
      <OrgApiKeys params={params} />
    </Suspense>
  );
}

async function OrgApiKeys({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { permission: "api_keys::manage" });
  const [keys, settings, own] = await Promise.all([listOrgApiKeys(org.id), getPlatformSettings(), listPermissions(user, org)]);
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="API keys">
      <h1 className="text-xl font-semibold">API keys</h1>
      <p className="text-sm text-muted-foreground">
        Org keys act for {org.name} with your role ({role.name}) under the org&apos;s plan, checked at every use, optionally
        narrowed to some permissions. The key is shown once; only a hash is stored.
      </p>
      <UserApiKeysPanel
        baseUrl={`/api/orgs/${org.slug}/api-keys`}
        keys={keys.map(toKeyRow)}
        grantable={own}
        defaultLimit={settings.api_key_default_rate_limit}
        allowNoExpiry={settings.api_keys_allow_no_expiry}
        enabled={settings.org_api_keys}
      />
    </ConsoleFrame>
  );
}

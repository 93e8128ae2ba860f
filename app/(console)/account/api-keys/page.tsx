import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { UserApiKeysPanel } from "@/components/api-keys/user-api-keys-panel";
import { Skeleton } from "@/components/ui/skeleton";
import { requireUser } from "@/lib/auth/guards";
import { getPlatformSettings } from "@/lib/platform/settings";
import { listPersonalApiKeys } from "@/lib/user-api-keys/list";
import { toKeyRow } from "@/lib/user-api-keys/rows";
import { ConsoleFrame } from "../../console-frame";

export const metadata: Metadata = { title: "My API keys" };

export default function MyApiKeysPage() {
  return (
    <Suspense fallback={<Skeleton className="m-8 h-40" />}>
      <MyApiKeys />
    </Suspense>
  );
}

async function MyApiKeys() {
  await connection();
  const user = await requireUser("/account/api-keys");
  const [keys, settings] = await Promise.all([listPersonalApiKeys(user.id), getPlatformSettings()]);
  return (
    <ConsoleFrame user={user} title="My API keys">
      <h1 className="text-xl font-semibold">My API keys</h1>
      <p className="text-sm text-muted-foreground">
        Personal keys act as you in the product&apos;s API. The key is shown once; only a hash is stored.
      </p>
      <UserApiKeysPanel
        baseUrl="/api/account/api-keys"
        keys={keys.map(toKeyRow)}
        grantable={[]}
        defaultLimit={settings.api_key_default_rate_limit}
        allowNoExpiry={settings.api_keys_allow_no_expiry}
        enabled={settings.personal_api_keys}
      />
    </ConsoleFrame>
  );
}

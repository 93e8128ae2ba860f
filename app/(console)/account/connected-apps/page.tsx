import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { GrantsTable } from "@/components/mcp/grants-table";
import { requireUser } from "@/lib/auth/guards";
import { listUserGrants } from "@/lib/oauth/connected-apps";
import { ConsoleFrame } from "../../console-frame";
import { revokeOwnGrantAction } from "./actions";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "My connected apps" };

export default function MyConnectedAppsPage() {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="table" />}>
      <MyConnectedApps />
    </Suspense>
  );
}

async function MyConnectedApps() {
  await connection();
  const user = await requireUser("/account/connected-apps");
  const grants = (await listUserGrants(user.id)).map((g) => ({
    ...g,
    createdAt: g.createdAt.toISOString(),
    lastUsedAt: g.lastUsedAt?.toISOString() ?? null,
  }));
  return (
    <ConsoleFrame user={user} title="My connected apps">
      <h1 className="text-xl font-semibold">My connected apps</h1>
      <p className="text-sm text-muted-foreground">
        Applications you allowed to act for you. Revoking ends their access at once.
      </p>
      <GrantsTable mode="user" grants={grants} revokeGrant={revokeOwnGrantAction} />
    </ConsoleFrame>
  );
}

import { ConsoleSkeleton } from "@/components/console/console-skeleton";
import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { ClientsManager } from "@/components/mcp/clients-manager";
import { DcrSwitch } from "@/components/mcp/dcr-switch";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePlatformStaff } from "@/lib/auth/guards";
import { listClients } from "@/lib/oauth/client-admin";
import { toClientRow } from "@/lib/oauth/client-rows";
import { isDynamicRegistrationEnabled } from "@/lib/oauth/settings";
import { ConsoleFrame } from "../../console-frame";
import {
  createPlatformClientAction,
  deletePlatformClientAction,
  setDynamicRegistrationAction,
  setPlatformClientDisabledAction,
  updatePlatformClientAction,
} from "./actions";

export const metadata: Metadata = { title: "All OAuth clients" };

export default function AdminClientsPage() {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="table" />}>
      <AdminClients />
    </Suspense>
  );
}

async function AdminClients() {
  await connection();
  const user = await requirePlatformStaff("admin");
  const [clients, dcr] = await Promise.all([listClients({ all: true }), isDynamicRegistrationEnabled()]);
  return (
    <ConsoleFrame user={user} title="All OAuth clients">
      <h1 className="text-xl font-semibold">OAuth clients of every organization</h1>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Dynamic registration</h2>
          </CardTitle>
          <CardDescription>
            When on, any application may register itself at /oauth/register (5 per minute per address). Such
            clients are marked unverified, always ask for consent, and are removed when unused.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DcrSwitch enabled={dcr} set={setDynamicRegistrationAction} />
        </CardContent>
      </Card>
      <p className="text-sm text-muted-foreground">
        Clients you register here are platform-wide: members of any organization can approve them.
      </p>
      <ClientsManager
        showOrg
        clients={clients.map(toClientRow)}
        create={createPlatformClientAction}
        update={updatePlatformClientAction}
        setDisabled={setPlatformClientDisabledAction}
        remove={deletePlatformClientAction}
      />
    </ConsoleFrame>
  );
}

import { ConsoleSkeleton } from "@/components/console/console-skeleton";
import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { ClientsManager } from "@/components/mcp/clients-manager";
import { requireOrgMember } from "@/lib/auth/guards";
import { listClients } from "@/lib/oauth/client-admin";
import { toClientRow } from "@/lib/oauth/client-rows";
import { ConsoleFrame } from "../../../console-frame";
import {
  createOrgClientAction,
  deleteOrgClientAction,
  setOrgClientDisabledAction,
  updateOrgClientAction,
} from "./actions";

export const metadata: Metadata = { title: "OAuth clients" };

export default function ClientsPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="table" />}>
      <Clients params={params} />
    </Suspense>
  );
}

async function Clients({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { minRole: "admin" });
  const clients = (await listClients({ orgId: org.id })).map(toClientRow);
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="OAuth clients">
      <div className="grid gap-2">
        <h1 className="text-xl font-semibold">OAuth clients</h1>
        <p className="text-sm text-muted-foreground">
          Applications and AI agents that may ask your members for access to the MCP server. Platform-wide
          clients are managed by Gatehouse admins.
        </p>
      </div>
      <ClientsManager
        clients={clients}
        create={createOrgClientAction.bind(null, slug)}
        update={updateOrgClientAction.bind(null, slug)}
        setDisabled={setOrgClientDisabledAction.bind(null, slug)}
        remove={deleteOrgClientAction.bind(null, slug)}
      />
    </ConsoleFrame>
  );
}

import "server-only";
import { oauthClients } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";

export const DEMO_CURSOR_CLIENT_ID = "demo-cursor-xcorp";
const DAY = 86_400_000;

const TOOL_CALLS = [
  { tool: "list_members", target: null, outcome: "success" },
  { tool: "search_audit_log", target: null, outcome: "success" },
  { tool: "get_report", target: { type: "report", id: "q3-revenue", name: "Q3 revenue" }, outcome: "success" },
  { tool: "export_report", target: { type: "report", id: "q3-revenue", name: "Q3 revenue" }, outcome: "denied" },
  { tool: "list_members", target: null, outcome: "success" },
  { tool: "get_report", target: { type: "report", id: "churn-2026", name: "Churn 2026" }, outcome: "success" },
] as const;

/**
 * A registered Cursor client for XCorp and what it did on behalf of John over the last 10 days,
 * so the explorer has agent activity to show. Written through recordAudit: real, chained events.
 */
export async function seedDemoAgentEvents(
  tx: Tx,
  args: { orgId: string; john: { id: string; name: string }; admin: { id: string; email: string }; context: RequestContext },
): Promise<void> {
  await tx
    .insert(oauthClients)
    .values({
      id: DEMO_CURSOR_CLIENT_ID,
      orgId: args.orgId,
      name: "Cursor",
      type: "public",
      redirectUris: ["cursor://anysphere.cursor-mcp/oauth/callback"],
      presets: ["cursor"],
      allowedScopes: ["mcp"],
      createdBy: args.admin.id,
    })
    .onConflictDoNothing();
  const now = Date.now();
  const base = { orgId: args.orgId, clientId: DEMO_CURSOR_CLIENT_ID, context: { ...args.context, userAgent: "Cursor/1.9 (MCP)" } };
  await recordAudit(tx, {
    ...base,
    actor: { type: "user", id: args.john.id, name: args.john.name },
    action: "oauth.consent_granted",
    target: { type: "oauth_client", id: DEMO_CURSOR_CLIENT_ID, name: "Cursor" },
    occurredAt: new Date(now - 10 * DAY + 3_600_000),
    metadata: { scopes: ["mcp"] },
  });
  for (let day = 9; day >= 1; day--) {
    for (let i = 0; i < 2; i++) {
      const call = TOOL_CALLS[(day * 2 + i) % TOOL_CALLS.length]!;
      await recordAudit(tx, {
        ...base,
        actor: { type: "agent", id: DEMO_CURSOR_CLIENT_ID, name: "Cursor" },
        onBehalfOf: { userId: args.john.id, name: args.john.name },
        action: "mcp.tool_called",
        outcome: call.outcome,
        target: call.target,
        occurredAt: new Date(now - day * DAY + i * 5_400_000),
        metadata: { tool: call.tool, ...(call.outcome === "denied" ? { reason: "missing permission reports::export" } : {}) },
      });
    }
  }
  await recordAudit(tx, {
    orgId: args.orgId,
    actor: { type: "user", id: args.admin.id, name: args.admin.email },
    action: "member.role_changed",
    target: { type: "user", id: args.john.id, name: args.john.name },
    context: args.context,
    occurredAt: new Date(now - 2 * DAY),
    metadata: { before: { role: "Member", canExport: false }, after: { role: "Member", canExport: true } },
  });
}

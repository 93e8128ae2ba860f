import "server-only";
import type { AuditOutcome } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import type { McpCaller } from "./auth";

/** Record one MCP tool call: the client acts (agent) on behalf of the user, in the token's org. */
export function recordToolCall(
  tx: Tx,
  caller: McpCaller,
  call: {
    tool: string;
    scope: string | null;
    outcome?: AuditOutcome;
    context: RequestContext;
    metadata?: Record<string, unknown>;
  },
) {
  const { claims, grant } = caller;
  return recordAudit(tx, {
    orgId: claims.org_id,
    actor: { type: "agent", id: claims.client_id, name: grant?.clientName ?? claims.client_id },
    onBehalfOf: { userId: claims.sub, name: grant?.userName ?? grant?.userEmail ?? null },
    clientId: claims.client_id,
    grantId: claims.grant_id,
    action: "mcp.tool_called",
    outcome: call.outcome ?? "success",
    target: { type: "mcp_tool", id: call.tool, name: call.tool },
    context: call.context,
    metadata: { tool: call.tool, scope_used: call.scope, token_scope: claims.scope, ...call.metadata },
  });
}

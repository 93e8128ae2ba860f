import { type AccessDecision, decideAccess } from "@/lib/oauth/effective-access";
import type { Scope } from "@/lib/oauth/scopes";

/** The scope each tool of the sample MCP server needs (none beyond a valid token for whoami). */
export const TOOL_SCOPES: Record<string, Scope | null> = {
  whoami: null,
  list_members: "members:read",
  search_audit_log: "audit:read",
};

export type ToolRefusal = { tool: string } & Exclude<AccessDecision, { allowed: true }>;

/** Whether one tool may run for a caller: its scope in the token AND its permission held by the user now. */
export function decideTool(tool: string, granted: readonly string[], held: readonly string[]): ToolRefusal | null {
  const scope = TOOL_SCOPES[tool];
  if (!scope) return null;
  const d = decideAccess(scope, granted, held);
  return d.allowed ? null : { tool, ...d };
}

/** The tool calls of a JSON-RPC body (batches included) that effective access refuses. */
export function refusedToolCalls(body: unknown, granted: readonly string[], held: readonly string[]): ToolRefusal[] {
  const messages = Array.isArray(body) ? body : [body];
  const refused: ToolRefusal[] = [];
  for (const m of messages) {
    if (!m || typeof m !== "object") continue;
    const msg = m as { method?: unknown; params?: { name?: unknown } };
    if (msg.method !== "tools/call" || typeof msg.params?.name !== "string") continue;
    const r = decideTool(msg.params.name, granted, held);
    if (r) refused.push(r);
  }
  return refused;
}

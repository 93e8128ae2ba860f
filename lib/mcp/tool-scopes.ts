/** The scope each tool of the sample MCP server needs (none beyond a valid token for whoami). */
export const TOOL_SCOPES: Record<string, string | null> = {
  whoami: null,
  list_members: "members:read",
  search_audit_log: "audit:read",
};

/** The scopes a JSON-RPC body needs that the token lacks (tools/call only; batches included). */
export function missingScopesFor(
  body: unknown,
  granted: readonly string[],
): { tool: string; scope: string }[] {
  const messages = Array.isArray(body) ? body : [body];
  const missing: { tool: string; scope: string }[] = [];
  for (const m of messages) {
    if (!m || typeof m !== "object") continue;
    const msg = m as { method?: unknown; params?: { name?: unknown } };
    if (msg.method !== "tools/call" || typeof msg.params?.name !== "string") continue;
    const scope = TOOL_SCOPES[msg.params.name];
    if (scope && !granted.includes(scope)) missing.push({ tool: msg.params.name, scope });
  }
  return missing;
}

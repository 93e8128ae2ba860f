import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { AppError, RateLimitedError, toErrorBody } from "@/lib/errors";
import { readJsonValue } from "@/lib/http/body";
import type { RequestContext } from "@/lib/http/request-context";
import { refusalMessage } from "@/lib/oauth/effective-access";
import { oauthLimits } from "@/lib/oauth/limits";
import { recordRefusal } from "@/lib/orgs/refusals";
import { authenticateMcpRequest, bearerChallenge, type McpCaller } from "./auth";
import { createMcpServer } from "./server";
import { refusedToolCalls, type ToolRefusal } from "./tool-scopes";

const MAX_BODY = 1024 * 1024;
const ROUTE = "POST /api/mcp";

function rpcError(status: number, code: number, message: string, headers?: HeadersInit): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

/**
 * One MCP request, stateless: authenticate the bearer token (with the grant and permission check),
 * count it against the grant's rate limit, refuse a tool call that effective access (scope ∩ the
 * user's current permission) does not allow with 403 saying which is missing, otherwise hand the
 * request to a fresh server + transport. Refusals and 429s are recorded in the token's org.
 */
export async function handleMcpRequest(
  req: Request,
  context: RequestContext,
  /** `preAuthenticated` skips token verification: only for the benchmark's baseline, never for a route. */
  opts: { preAuthenticated?: McpCaller } = {},
): Promise<Response> {
  if (req.method !== "POST" && !opts.preAuthenticated) {
    const auth = await authenticateMcpRequest(req);
    if (auth instanceof Response) return auth;
    return rpcError(405, -32000, "Method not allowed: this server is stateless (POST only).", { Allow: "POST" });
  }
  // The grant check and the per-grant limit in one statement.
  const auth = opts.preAuthenticated ?? (await authenticateMcpRequest(req, { countLimit: true }));
  if (auth instanceof Response) return auth;
  if (req.method !== "POST") {
    return rpcError(405, -32000, "Method not allowed: this server is stateless (POST only).", { Allow: "POST" });
  }
  try {
    if (auth.limit) {
      if (!auth.limit.allowed) throw new RateLimitedError(auth.limit.retryAfterSeconds);
    } else {
      await oauthLimits.mcpGrant(auth.claims.grant_id);
    }
  } catch (err) {
    if (!(err instanceof RateLimitedError)) throw err;
    await recordRefusal({ ...refusalFrom(auth, context), action: "rate_limit.hit", route: ROUTE, status: 429, reason: "mcp_grant_rate_limit" });
    return rpcError(429, -32000, err.message, { "Retry-After": String(err.retryAfterSeconds) });
  }
  let body: unknown;
  try {
    body = await readJsonValue(req, MAX_BODY); // 415, 413 before reading, 400 naming a field with a NUL
  } catch (err) {
    if (!(err instanceof AppError && err.code === "invalid_json")) {
      const { status, body: error, headers } = toErrorBody(err);
      return Response.json(error, { status, headers });
    }
    return rpcError(400, -32700, "Parse error");
  }
  const refused = refusedToolCalls(body, auth.scopes, auth.permissions);
  if (refused.length) return refuse(auth, refused, context);

  const server = createMcpServer(auth, context);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  const forwarded = new Request(req.url, { method: "POST", headers: req.headers, body: JSON.stringify(body) });
  try {
    return await transport.handleRequest(forwarded, { parsedBody: body, authInfo: auth.authInfo });
  } finally {
    void server.close();
  }
}

function refusalFrom(caller: McpCaller, context: RequestContext) {
  const { claims, grant } = caller;
  return {
    orgId: claims.org_id,
    actor: { type: "agent" as const, id: claims.client_id, name: grant?.clientName ?? claims.client_id },
    onBehalfOf: { userId: claims.sub, name: grant?.userName ?? grant?.userEmail ?? null },
    clientId: claims.client_id,
    grantId: claims.grant_id,
    context,
  };
}

/**
 * 403 for refused tool calls. A missing scope is answered as RFC 6750 `insufficient_scope` with a
 * step-up challenge; a missing permission as `insufficient_permission` without one (asking the user
 * again cannot help: consent offers only what the user can exercise).
 */
async function refuse(caller: McpCaller, refused: ToolRefusal[], context: RequestContext): Promise<Response> {
  for (const r of refused) {
    await recordRefusal({
      ...refusalFrom(caller, context),
      action: "access.denied",
      route: `${ROUTE} tools/call ${r.tool}`,
      status: 403,
      reason: r.missing === "scope" ? `missing_scope:${r.scope}` : `missing_permission:${r.permission}`,
    });
  }
  const byScope = refused.filter((r) => r.missing === "scope");
  const description = refused.map((r) => `${r.tool}: ${refusalMessage(r)}`).join(" ");
  const detail = refused.map(({ tool, missing, scope, permission }) => ({ tool, missing, scope, permission }));
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (byScope.length) {
    const scope = [...new Set(byScope.map((r) => r.scope))].join(" ");
    headers["WWW-Authenticate"] = bearerChallenge({ error: "insufficient_scope", scope, description });
    return Response.json({ error: "insufficient_scope", error_description: description, scope, missing: "scope", refused: detail }, { status: 403, headers });
  }
  const permission = [...new Set(refused.map((r) => r.permission))].join(" ");
  return Response.json(
    { error: "insufficient_permission", error_description: description, permission, missing: "permission", refused: detail },
    { status: 403, headers },
  );
}

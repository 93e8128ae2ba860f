import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { readJsonValue } from "@/lib/http/body";
import type { RequestContext } from "@/lib/http/request-context";
import { errorResponse } from "@/lib/http/route";
import { authenticateMcpRequest, bearerChallenge, type McpCaller } from "./auth";
import { recordToolCall } from "./record-call";
import { createMcpServer } from "./server";
import { missingScopesFor } from "./tool-scopes";

const MAX_BODY = 1024 * 1024;

/**
 * One MCP request, stateless: authenticate the bearer token (with the grant check), answer a tool
 * call that needs a scope the token lacks with 403 `insufficient_scope` (MCP step-up), otherwise
 * hand the request to a fresh server + transport.
 */
export async function handleMcpRequest(
  req: Request,
  context: RequestContext,
  /** `preAuthenticated` skips token verification: only for the benchmark's baseline, never for a route. */
  opts: { preAuthenticated?: McpCaller } = {},
): Promise<Response> {
  const auth = opts.preAuthenticated ?? (await authenticateMcpRequest(req));
  if (auth instanceof Response) return auth;
  if (req.method !== "POST") {
    return Response.json(
      {
        jsonrpc: "2.0",
        error: { code: -32000, message: "Method not allowed: this server is stateless (POST only)." },
        id: null,
      },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  let body: unknown;
  try {
    body = await readJsonValue(req, MAX_BODY); // 415, 413 before reading, 400 naming a field with a NUL
  } catch (err) {
    if (!(err instanceof AppError && err.code === "invalid_json")) return errorResponse(err);
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null },
      { status: 400 },
    );
  }
  const missing = missingScopesFor(body, auth.scopes);
  if (missing.length) return insufficientScope(auth, missing, context);

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

async function insufficientScope(
  caller: McpCaller,
  missing: { tool: string; scope: string }[],
  context: RequestContext,
): Promise<Response> {
  await getDb().transaction(async (tx) => {
    for (const m of missing)
      await recordToolCall(tx, caller, {
        tool: m.tool,
        scope: m.scope,
        outcome: "denied",
        context,
        metadata: { reason: "insufficient_scope" },
      });
  });
  const scope = [...new Set(missing.map((m) => m.scope))].join(" ");
  const description = `This tool needs the ${scope} scope.`;
  return Response.json(
    { error: "insufficient_scope", error_description: description, scope },
    {
      status: 403,
      headers: {
        "WWW-Authenticate": bearerChallenge({ error: "insufficient_scope", scope, description }),
        "Cache-Control": "no-store",
      },
    },
  );
}

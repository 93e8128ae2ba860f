import { route } from "@/lib/http/route";
import { handleMcpRequest } from "@/lib/mcp/handler";
import { isAllowedMcpOrigin, preflight, withCors } from "@/lib/oauth/cors";

const METHODS = "GET, POST";

const mcp = route(async ({ req, context }) => {
  const origin = req.headers.get("origin");
  if (!isAllowedMcpOrigin(origin)) {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32000, message: "This Origin may not use the MCP endpoint." }, id: null },
      { status: 403 },
    );
  }
  const res = await handleMcpRequest(req, context);
  return origin ? withCors(res, origin) : res;
});

// POST /api/mcp — the sample MCP server (Streamable HTTP, stateless), bearer token required
export const POST = mcp;

// GET /api/mcp — no server-initiated stream in stateless mode (405), after authentication
export const GET = mcp;

// OPTIONS /api/mcp — CORS preflight for browser clients from allowed origins
export const OPTIONS = route(async ({ req }) => {
  const origin = req.headers.get("origin");
  if (!isAllowedMcpOrigin(origin)) return new Response(null, { status: 403 });
  return preflight(METHODS, origin ?? "*");
});

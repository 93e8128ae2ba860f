import { route } from "@/lib/http/route";
import { handleMcpRequest } from "@/lib/mcp/handler";

// POST /api/mcp — the sample MCP server (Streamable HTTP, stateless), bearer token required
export const POST = route(({ req, context }) => handleMcpRequest(req, context));

// GET /api/mcp — no server-initiated stream in stateless mode (405), after authentication
export const GET = route(({ req, context }) => handleMcpRequest(req, context));

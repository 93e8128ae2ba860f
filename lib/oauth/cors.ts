import "server-only";
import { getEnv } from "@/lib/env";

const ALLOW_HEADERS = "Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Session-Id, Last-Event-ID";
const EXPOSE_HEADERS = "WWW-Authenticate, Mcp-Session-Id, Retry-After";

/**
 * CORS for the endpoints browser-based OAuth/MCP clients call (discovery, token, registration,
 * revocation, MCP). None of them reads cookies, so a wildcard origin grants nothing a page could
 * not already do; the MCP endpoint echoes only allowed origins.
 */
export function withCors<T extends { headers: Headers }>(res: T, origin = "*"): T {
  res.headers.set("Access-Control-Allow-Origin", origin);
  res.headers.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
  if (origin !== "*") res.headers.append("Vary", "Origin");
  return res;
}

/** The answer to an OPTIONS preflight. */
export function preflight(methods: string, origin = "*"): Response {
  return withCors(
    new Response(null, {
      status: 204,
      headers: {
        "Access-Control-Allow-Methods": `${methods}, OPTIONS`,
        "Access-Control-Allow-Headers": ALLOW_HEADERS,
        "Access-Control-Max-Age": "600",
      },
    }),
    origin,
  );
}

/**
 * Whether a browser `Origin` may talk to the MCP endpoint (Streamable HTTP transport: servers MUST
 * validate Origin). No Origin means a non-browser client: allowed. Allowed: the app's own origin and
 * `MCP_ALLOWED_ORIGINS` (comma-separated origins, `*` for any).
 */
export function isAllowedMcpOrigin(origin: string | null): boolean {
  if (origin === null) return true;
  const env = getEnv();
  const allowed = env.MCP_ALLOWED_ORIGINS.split(",").map((o) => o.trim().replace(/\/$/, "")).filter(Boolean);
  if (allowed.includes("*")) return true;
  return origin === new URL(env.APP_URL).origin || allowed.includes(origin);
}

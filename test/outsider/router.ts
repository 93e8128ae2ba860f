import { NextRequest } from "next/server";

type Handler = (
  req: NextRequest,
  ctx: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>;

/**
 * A `fetch` that serves our real route handlers in-process, so third-party clients (the MCP SDK,
 * oauth4webapi) speak HTTP semantics to them without a built server. `browser` marks requests a
 * signed-in browser makes (authorize, consent) so the caller can attach the session.
 */
export async function loadRoutes() {
  const routes: [RegExp, Record<string, Handler>, (m: RegExpMatchArray) => Record<string, string[]>][] = [
    [
      /^\/\.well-known\/oauth-protected-resource(\/.*)?$/,
      await import("@/app/.well-known/oauth-protected-resource/[[...path]]/route"),
      (m) => ({ path: (m[1] ?? "").split("/").filter(Boolean) }),
    ],
    [
      /^\/\.well-known\/oauth-authorization-server$/,
      await import("@/app/.well-known/oauth-authorization-server/route"),
      () => ({}),
    ],
    [/^\/oauth\/authorize$/, await import("@/app/oauth/authorize/route"), () => ({})],
    [/^\/oauth\/decision$/, await import("@/app/oauth/decision/route"), () => ({})],
    [/^\/oauth\/token$/, await import("@/app/oauth/token/route"), () => ({})],
    [/^\/oauth\/revoke$/, await import("@/app/oauth/revoke/route"), () => ({})],
    [/^\/oauth\/introspect$/, await import("@/app/oauth/introspect/route"), () => ({})],
    [/^\/oauth\/register$/, await import("@/app/oauth/register/route"), () => ({})],
    [/^\/oauth\/jwks$/, await import("@/app/oauth/jwks/route"), () => ({})],
    [/^\/api\/mcp$/, await import("@/app/api/mcp/route"), () => ({})],
  ];
  const log: string[] = [];
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(input, init);
    const url = new URL(req.url);
    log.push(`${req.method} ${url.pathname}`);
    for (const [re, mod, params] of routes) {
      const m = url.pathname.match(re);
      if (!m) continue;
      const handler = mod[req.method];
      if (!handler) return new Response(null, { status: 405 });
      const headers = new Headers(req.headers);
      headers.set("host", url.host);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
      const next = new NextRequest(url, { method: req.method, headers, body });
      return handler(next, { params: Promise.resolve(params(m)) });
    }
    return new Response("not found", { status: 404 });
  };
  return { fetch: fetchFn, log };
}

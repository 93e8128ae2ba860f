// The production server: Next's request handler behind a plain Node HTTP server that decides the
// client IP from the socket (and TRUST_PROXY), stamps it and our own request id on the request, and
// drops any copy of those headers a client sent. `npm start` and the Playwright web server run this.
import Module from "node:module";
import path from "node:path";
import next from "next";
import { parseTrustProxy } from "../lib/http/client-ip";
import { createStampingServer } from "../lib/http/stamping-server";

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOSTNAME ?? "0.0.0.0";
  const trust = parseTrustProxy(process.env.TRUST_PROXY);
  const app = next({ dev: false, dir: path.resolve(__dirname, ".."), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const lane = await loadDirectLane();
  const server = createStampingServer((req, res) => {
    const route = lane?.laneRouteFor(req);
    return route ? lane!.serveLaneRequest(route, req, res) : handle(req, res);
  }, trust);
  server.listen(port, hostname, () => {
    const proxies = trust.kind === "list" ? trust.source : trust.kind === "hops" ? `${trust.hops} hop(s)` : trust.kind;
    console.log(`[gatehouse] listening on ${hostname}:${port} (TRUST_PROXY: ${proxies})`);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
}

/**
 * The direct lane for hot endpoints (lib/http/direct-lane.ts), unless DIRECT_LANE=off. Its modules are
 * server code that imports "server-only", which only Next's bundler resolves to nothing: this process
 * is the server, so resolve it to the package's empty module here, for those modules only.
 */
async function loadDirectLane() {
  if (process.env.DIRECT_LANE === "off") return null;
  const empty = path.resolve(__dirname, "../node_modules/server-only/empty.js");
  const withResolve = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = withResolve._resolveFilename;
  withResolve._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === "server-only" ? empty : resolve.call(this, request, ...rest);
  };
  return import("../lib/http/direct-lane");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

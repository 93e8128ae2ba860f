// The HTTP server in front of Next's handler (scripts/server.ts): stamps each request with the
// client IP and our request id before handing it on. No "server-only": it runs outside Next.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { STAMP_SECRET_ENV, stampRequest, type TrustProxy } from "./client-ip";

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * A server that stamps then calls `handle`. It sets this process's stamp secret (route handlers run
 * in the same process and believe a stamp only with it).
 */
export function createStampingServer(handle: Handler, trust: TrustProxy): Server {
  const secret = (process.env[STAMP_SECRET_ENV] ??= randomBytes(24).toString("base64url"));
  return createServer((req, res) => {
    stampRequest(req, trust, secret);
    void handle(req, res);
  });
}

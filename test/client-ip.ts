import { randomBytes } from "node:crypto";
import { STAMP_HEADERS, STAMP_SECRET_ENV } from "@/lib/http/client-ip";

/**
 * The headers our custom server stamps on a request from `ip`, for tests that call route handlers
 * directly (as scripts/server.ts would after reading the socket). Sets this process's stamp secret.
 */
export function stampedHeaders(ip: string): Record<string, string> {
  process.env[STAMP_SECRET_ENV] ??= randomBytes(24).toString("base64url");
  return { [STAMP_HEADERS.ip]: ip, [STAMP_HEADERS.requestId]: randomBytes(8).toString("hex"), [STAMP_HEADERS.proof]: process.env[STAMP_SECRET_ENV]! };
}

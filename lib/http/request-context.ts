import "server-only";
import { randomUUID } from "node:crypto";
import { readStamp } from "./client-ip";

/** Who is calling, for audit events and rate limits. */
export interface RequestContext {
  /** The client address decided by the custom server from the socket and TRUST_PROXY; null when unknown. */
  ip: string | null;
  userAgent: string | null;
  /** Our own id for this request, never the client's. */
  requestId: string;
  /** An X-Request-Id the client sent, kept apart for correlation only. */
  clientRequestId?: string | null;
}

/**
 * The caller of a request. IP and request id come from the stamp our server (scripts/server.ts) put
 * on the request, never from a header a client controls; without a stamp (`next dev`) the IP is
 * unknown and the request id is fresh.
 */
export function requestContextFrom(headers: Headers): RequestContext {
  const stamp = readStamp(headers);
  const incomingId = headers.get("x-request-id");
  return {
    ip: stamp?.ip ?? null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: stamp?.requestId ?? randomUUID(),
    clientRequestId: incomingId && /^[\w.-]{1,128}$/.test(incomingId) ? incomingId : null,
  };
}

/** A context for work no request started (jobs, seed, scripts). */
export function systemContext(): RequestContext {
  return { ip: null, userAgent: null, requestId: randomUUID() };
}

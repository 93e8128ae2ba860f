import "server-only";
import { randomUUID } from "node:crypto";

/** Who is calling, for audit events and rate limits. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/**
 * Read the caller from request headers. The client address is the last entry of
 * X-Forwarded-For (the hop our server or proxy added), or the first one when TRUST_PROXY=true
 * says every hop in front of us is ours and rewrites the header.
 */
export function requestContextFrom(headers: Headers): RequestContext {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const trustProxy = process.env.TRUST_PROXY === "true";
  const ip = (trustProxy ? forwarded[0] : forwarded.at(-1)) ?? headers.get("x-real-ip") ?? null;
  const incomingId = headers.get("x-request-id");
  return {
    ip: ip ? ip.replace(/^::ffff:/, "").slice(0, 64) : null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: incomingId && /^[\w.-]{1,128}$/.test(incomingId) ? incomingId : randomUUID(),
  };
}

/** A context for work no request started (jobs, seed, scripts). */
export function systemContext(): RequestContext {
  return { ip: null, userAgent: null, requestId: randomUUID() };
}

// The one place that decides who is calling: the socket's peer address, and X-Forwarded-For only
// through the proxies TRUST_PROXY names. Used by the custom server (scripts/server.ts), which stamps
// the answer on each request, and read back by lib/http/request-context.ts. No "server-only" import:
// the custom server loads it outside Next.
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { BlockList, isIP } from "node:net";

/** Who may add to X-Forwarded-For: nobody, every hop, the nearest `hops` hops, or addresses in a list. */
export type TrustProxy =
  | { kind: "none" }
  | { kind: "all" }
  | { kind: "hops"; hops: number }
  | { kind: "list"; list: BlockList; source: string };

/**
 * `TRUST_PROXY`: unset, `false` or `0` (default): the socket only. A number n: the n nearest hops are
 * ours. A comma list of addresses and CIDRs (`10.0.0.0/8, ::1`): hops from those are ours. `true`:
 * every hop is ours (the left-most entry wins; only behind a proxy that overwrites the header).
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "" || value === "false" || value === "0") return { kind: "none" };
  if (value === "true") return { kind: "all" };
  if (/^\d+$/.test(value)) return { kind: "hops", hops: Number(value) };
  const list = new BlockList();
  for (const part of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [address = "", prefix] = part.split("/");
    const family = isIP(address);
    if (!family) throw new Error(`TRUST_PROXY: "${part}" is not an address, a CIDR, a hop count or true/false`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 6 ? 128 : 32)) throw new Error(`TRUST_PROXY: bad prefix in "${part}"`);
      list.addSubnet(address, bits, type);
    }
  }
  return { kind: "list", list, source: value };
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; anything that is not an IP address → null. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let ip = raw.trim();
  if (ip.startsWith("[") && ip.includes("]")) ip = ip.slice(1, ip.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) ip = ip.slice(7);
  return isIP(ip) ? ip.toLowerCase() : null;
}

function trusted(trust: TrustProxy, ip: string, hop: number): boolean {
  switch (trust.kind) {
    case "none":
      return false;
    case "all":
      return true;
    case "hops":
      return hop < trust.hops;
    case "list":
      return trust.list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
  }
}

/**
 * The client's address: start at the socket and walk X-Forwarded-For from the right while the
 * address at hand is a trusted proxy; the first untrusted one is the client. An entry that is not
 * an address stops the walk at the last good one.
 */
export function resolveClientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trust: TrustProxy): string | null {
  let current = normalizeIp(remoteAddress);
  if (!current) return null;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let hop = 0; trusted(trust, current, hop); hop++) {
    const next = entries.pop();
    if (next === undefined) break;
    const ip = normalizeIp(next);
    if (!ip) break;
    current = ip;
  }
  return current;
}

/** Headers only the custom server sets; any copy a client sends is deleted first. */
export const STAMP_HEADERS = {
  ip: "x-gatehouse-client-ip",
  requestId: "x-gatehouse-request-id",
  /** A per-process secret: proves the stamp came from our server, not from a client (e.g. under `next dev`). */
  proof: "x-gatehouse-stamp",
} as const;
export const STAMP_SECRET_ENV = "GATEHOUSE_STAMP_SECRET";

/**
 * Stamp an incoming request (custom server, before Next sees it): drop client-sent `x-gatehouse-*`
 * headers, then set the client IP, our own request id and the proof.
 */
export function stampRequest(
  req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string } },
  trust: TrustProxy,
  secret: string,
): { ip: string | null; requestId: string } {
  for (const name of Object.keys(req.headers)) if (name.startsWith("x-gatehouse-")) delete req.headers[name];
  const ip = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trust);
  const requestId = randomUUID();
  if (ip) req.headers[STAMP_HEADERS.ip] = ip;
  req.headers[STAMP_HEADERS.requestId] = requestId;
  req.headers[STAMP_HEADERS.proof] = secret;
  return { ip, requestId };
}

/**
 * What the custom server stamped on this request, or null when it was not stamped by it (no server
 * secret in this process, as under `next dev`, or a proof that does not match): then nothing in the
 * headers is believed.
 */
export function readStamp(headers: Headers, secret = process.env[STAMP_SECRET_ENV]): { ip: string | null; requestId: string } | null {
  const proof = headers.get(STAMP_HEADERS.proof);
  if (!secret || !proof || proof.length !== secret.length || !timingSafeEqual(Buffer.from(proof), Buffer.from(secret))) return null;
  const requestId = headers.get(STAMP_HEADERS.requestId);
  return { ip: normalizeIp(headers.get(STAMP_HEADERS.ip)), requestId: requestId && /^[\w-]{1,64}$/.test(requestId) ? requestId : randomUUID() };
}

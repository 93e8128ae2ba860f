import "server-only";
import { decode, type JWT } from "next-auth/jwt";
import { getEnv } from "@/lib/env";
import { requestCookies } from "@/lib/http/cookie-jar";
import { cookieName } from "@/lib/http/cookies";

/** The Auth.js session cookie's name (lib/auth/index.ts: `__Host-` prefixed over https); also the JWE's salt. */
export const sessionCookieName = () => cookieName("authjs.session-token");

/**
 * The session token in these cookies, joined from its chunks (`name.0`, `name.1`, … when it outgrows
 * one cookie) exactly as Auth.js's SessionStore joins them: every cookie whose name starts with the
 * session's, in the order of the number after the last dot.
 */
export function sessionToken(cookies: { name: string; value: string }[], name: string): string {
  const chunk = (n: string) => Number(/\.(\d+)$/.exec(n)?.[1] ?? 0);
  return cookies
    .filter((c) => c.name.startsWith(name) && c.value)
    .sort((a, b) => chunk(a.name) - chunk(b.name))
    .map((c) => c.value)
    .join("");
}

/** Tokens already opened, by cookie name and value, with their expiry; reset when the secret changes. */
const opened = new Map<string, { userId: string; sid: string; exp: number }>();
let openedWith = "";
const MAX_OPENED = 5_000;
/** The clock tolerance of Auth.js's `decode` (@auth/core/jwt), for a token already opened. */
const DECODE_CLOCK_TOLERANCE_S = 15;

/**
 * Who the request's session cookie names: its user and session id, or null (no cookie, not ours,
 * tampered, expired). Decoded with Auth.js's own `decode` (same secret and salt as its session
 * action), without what `auth()` adds: Auth.js's session action also re-encodes the token with a
 * later expiry and sets it as a cookie, but `auth()` in a route or a page drops that Set-Cookie, so
 * nothing of it ever reached the browser. That makes this the same answer at a fraction of the CPU,
 * and it works outside Next's request scope (the direct lane, lib/http/direct-lane.ts). The bounds
 * that matter are the session row's (expiry, idle timeout, revocation: validateSession).
 *
 * A token is opened once (key derivation and decryption are most of a small request's CPU): the
 * same bytes under the same secret always open to the same claims, and the expiry is checked on
 * every use, with `decode`'s tolerance.
 */
export async function readSessionCookie(): Promise<{ userId: string; sid: string } | null> {
  const name = sessionCookieName();
  const token = sessionToken((await requestCookies()).getAll(), name);
  if (!token) return null;
  const secret = getEnv().AUTH_SECRET;
  if (openedWith !== secret) {
    opened.clear();
    openedWith = secret;
  }
  const key = `${name}=${token}`;
  let claims = opened.get(key);
  if (!claims) {
    let payload: JWT | null;
    try {
      payload = await decode({ token, secret, salt: name });
    } catch {
      return null;
    }
    // What the jwt and session callbacks of lib/auth/index.ts accept: a session id and a user.
    if (typeof payload?.sid !== "string" || typeof payload.sub !== "string" || !payload.sub) return null;
    claims = { userId: payload.sub, sid: payload.sid, exp: typeof payload.exp === "number" ? payload.exp : Infinity };
    if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
    opened.set(key, claims);
  }
  if (Date.now() / 1000 > claims.exp + DECODE_CLOCK_TOLERANCE_S) {
    opened.delete(key);
    return null;
  }
  return { userId: claims.userId, sid: claims.sid };
}

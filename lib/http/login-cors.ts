import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import { getEnv } from "@/lib/env";
import { forbidden } from "@/lib/errors";
import { route, type NextHandler, type RouteFn, type Params } from "./route";

/**
 * Cross-origin use of the sign-in API (README "Sign-in kit across origins"): pages of the origins
 * in LOGIN_ALLOWED_ORIGINS may call /api/login/* with credentials; every other origin is refused
 * like before (no CORS headers, and writes answer 403).
 */
export function allowedLoginOrigin(req: { headers: Headers }): string | null {
  const origin = req.headers.get("origin");
  if (!origin) return null;
  return getEnv().LOGIN_ALLOWED_ORIGINS.includes(origin) ? origin : null;
}

function setCors(res: { headers: Headers }, origin: string | null) {
  res.headers.append("Vary", "Origin");
  if (!origin) return;
  res.headers.set("Access-Control-Allow-Origin", origin);
  res.headers.set("Access-Control-Allow-Credentials", "true");
  res.headers.set("Access-Control-Expose-Headers", "X-Request-Id");
}

/** A sign-in step's answer with its CORS headers (credentials, for an allowed origin only). */
export function withLoginCors<T extends { headers: Headers }>(headers: Headers, res: T): T {
  setCors(res, allowedLoginOrigin({ headers }));
  return res;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a write comes from our own pages (Origin, or failing that Sec-Fetch-Site). */
function sameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (origin) {
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  const site = headers.get("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

/** 403 for a sign-in write from neither our own pages nor an allowed origin (no login CSRF). */
export function assertLoginWrite(method: string, headers: Headers): void {
  if (!SAFE_METHODS.has(method) && !sameOrigin(headers) && !allowedLoginOrigin({ headers })) {
    throw forbidden("Cross-site request refused.");
  }
}

/**
 * A sign-in step's route handler: writes must come from our own pages or from an allowed origin (no
 * login CSRF from anywhere else); answers to allowed origins carry CORS headers with credentials.
 */
export function loginRoute<P extends Params = Params>(fn: RouteFn<P, object>): NextHandler {
  const inner = route<P>(async (args) => {
    assertLoginWrite(args.req.method, args.req.headers);
    return fn(args);
  });
  return async (req, ctx) => withLoginCors(req.headers, await inner(req, ctx));
}

/** The CORS preflight of a sign-in route: allowed origins may POST JSON with credentials. */
export function loginPreflight(req: NextRequest): NextResponse {
  const origin = allowedLoginOrigin(req);
  const res = new NextResponse(null, { status: 204 });
  setCors(res, origin);
  if (origin) {
    res.headers.set("Access-Control-Allow-Methods", "GET, POST");
    res.headers.set("Access-Control-Allow-Headers", "content-type, accept");
    res.headers.set("Access-Control-Max-Age", "600");
  }
  return res;
}

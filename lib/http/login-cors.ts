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
export function allowedLoginOrigin(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (!origin) return null;
  return getEnv().LOGIN_ALLOWED_ORIGINS.includes(origin) ? origin : null;
}

function setCors(res: Response, origin: string | null) {
  res.headers.append("Vary", "Origin");
  if (!origin) return;
  res.headers.set("Access-Control-Allow-Origin", origin);
  res.headers.set("Access-Control-Allow-Credentials", "true");
  res.headers.set("Access-Control-Expose-Headers", "X-Request-Id");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a write comes from our own pages (Origin, or failing that Sec-Fetch-Site). */
function sameOrigin(req: NextRequest): boolean {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (origin) {
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  const site = req.headers.get("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

/**
 * A sign-in step's route handler: writes must come from our own pages or from an allowed origin (no
 * login CSRF from anywhere else); answers to allowed origins carry CORS headers with credentials.
 */
export function loginRoute<P extends Params = Params>(fn: RouteFn<P, object>): NextHandler {
  const inner = route<P>(async (args) => {
    if (!SAFE_METHODS.has(args.req.method) && !sameOrigin(args.req) && !allowedLoginOrigin(args.req)) {
      throw forbidden("Cross-site request refused.");
    }
    return fn(args);
  });
  return async (req, ctx) => {
    const res = await inner(req, ctx);
    setCors(res, allowedLoginOrigin(req));
    return res;
  };
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

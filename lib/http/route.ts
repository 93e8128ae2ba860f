import "server-only";
import { connection, type NextRequest } from "next/server";
import type { PlatformRole } from "@/drizzle/schema";
import { type CurrentUser, getCurrentUser, getCurrentUserInOrg } from "@/lib/auth/current-user";
import { isPlatformStaff } from "@/lib/auth/guards";
import { AppError, forbidden, notFound, toErrorBody, unauthenticated } from "@/lib/errors";
import type { MembershipDto } from "@/lib/orgs/queries";
import { recordRefusal, routePattern } from "@/lib/orgs/refusals";
import { isAtLeastRole } from "@/lib/rbac";
import { type Answer, jsonAnswer, toResponse } from "./answer";
import { refuseDeclaredOver } from "./body";
import { onDirectLane } from "./cookie-jar";
import { startReadAhead } from "./read-ahead";
import { type RequestContext, requestContextFrom } from "./request-context";

export type Params = Record<string, string | string[] | undefined>;
interface RouteArgs<P extends Params> {
  req: NextRequest;
  params: P;
  context: RequestContext;
}
/** A handler answers with a Web Response or an `Answer` (lib/http/answer.ts), which `route` sends as a Response. */
export type RouteFn<P extends Params, C> = (args: RouteArgs<P> & C) => Promise<Response | Answer> | Response | Answer;
type HandlerArgs = [req: NextRequest, ctx: { params: Promise<Params> }];
/**
 * A route's exported handler. `answer` is the same handler before its answer is made a Response:
 * the direct lane (lib/http/direct-lane.ts) calls it and writes a plain `Answer` without building
 * a Response and reading it back.
 */
export type NextHandler = ((...args: HandlerArgs) => Promise<Response>) & { answer?: (...args: HandlerArgs) => Promise<Response | Answer> };

/** A JSON answer, `no-store` unless told otherwise; `route()` sends it as a Response under Next, the lane as it is. */
export function json(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Answer {
  const res = jsonAnswer(body, init);
  if (!res.headers.has("cache-control")) res.headers.set("Cache-Control", "no-store");
  return res;
}

export function errorResponse(err: unknown, requestId?: string): Response {
  const { status, body, headers } = toErrorBody(err);
  const res = toResponse(json(body, { status, headers }));
  if (requestId) res.headers.set("X-Request-Id", requestId);
  return res;
}

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated writes must come from our own pages: the Origin (or, failing that,
 * Sec-Fetch-Site) must say same-origin. Stops cross-site form posts and fetches riding the cookie.
 */
function assertSameOrigin(req: NextRequest) {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (origin) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      // fall through: refused below
    }
    if (originHost && originHost === host) return;
    throw forbidden("Cross-site request refused.");
  }
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw forbidden("Cross-site request refused.");
}

/** A route handler with typed errors mapped to `{ error: { code, message } }` and a request id. */
export function route<P extends Params = Params>(fn: RouteFn<P, object>): NextHandler {
  const answer = async (...[req, ctx]: HandlerArgs): Promise<Response | Answer> => {
    const context = requestContextFrom(req.headers);
    try {
      // Dynamic, never prerendered (Next); the direct lane is outside Next's request scope, where it would throw.
      if (!onDirectLane()) await connection();
      refuseDeclaredOver(req); // 413 before anything reads the body
      const res = await fn({ req, params: (await ctx.params) as P, context });
      res.headers.set("X-Request-Id", context.requestId);
      return res;
    } catch (err) {
      return errorResponse(err, context.requestId);
    }
  };
  return Object.assign(async (...args: HandlerArgs) => toResponse(await answer(...args)), { answer });
}

/**
 * A route handler for anonymous callers whose writes must still come from our own pages (the
 * sign-in steps: no login CSRF).
 */
export function sameOriginRoute<P extends Params = Params>(fn: RouteFn<P, object>): NextHandler {
  return route<P>(async (args) => {
    assertSameOrigin(args.req);
    return fn(args);
  });
}

/** A route handler for a signed-in user (401 otherwise); cookie-authenticated writes must be same-origin. */
export function withUser<P extends Params = Params>(fn: RouteFn<P, { user: CurrentUser }>): NextHandler {
  return route<P>(async (args) => fn({ ...args, user: await signedIn(args.req) }));
}

/** withUser's checks: the session's user (401 without one) and, for a write, our own origin. */
export async function signedIn(req: NextRequest): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw unauthenticated();
  assertSameOrigin(req);
  return user;
}

/** A route handler for platform staff (admin may do everything support may); others get 404. */
export function withPlatformStaff<P extends Params = Params>(
  fn: RouteFn<P, { user: CurrentUser }>,
  role: PlatformRole = "admin",
): NextHandler {
  return withUser<P>(async (args) => {
    if (!isPlatformStaff(args.user, role)) throw notFound();
    return fn(args);
  });
}

/**
 * A route handler under `/…/[slug]/…` for a member of that org. The org is resolved from the slug
 * and the session user's membership together: a non-member gets 404, as if it did not exist.
 * With `permission` or `minRole`, a member without it gets 403. With `readAhead` (read-only routes;
 * never for a write method, whatever the route says), the handler may start alongside the check for a session let in lately (lib/http/read-ahead.ts);
 * its answer is used only when the check lets the request in again as the same user, org and role.
 */
export function withOrg<P extends Params & { slug: string }>(
  fn: RouteFn<P, { user: CurrentUser } & MembershipDto>,
  opts: { permission?: string; minRole?: string; readAhead?: boolean } = {},
): NextHandler {
  return route<P>(async (args) => {
    const ahead =
      opts.readAhead && SAFE_METHODS.has(args.req.method)
        ? await startReadAhead(`org\n${args.params.slug}\n${opts.permission ?? ""}`, async ({ user, membership }: { user: CurrentUser; membership: MembershipDto }) => fn({ ...args, user, ...membership }))
        : null;
    try {
      // The session, the membership and (with a permission) whether the member holds it: one statement.
      // Then withUser's order: 401, the same-origin check, 404.
      const found = await getCurrentUserInOrg(args.params.slug, opts.permission);
      if (!found) throw unauthenticated();
      assertSameOrigin(args.req);
      const { user, membership: m } = found;
      if (!m) throw notFound("No such organization.");
      const membership: MembershipDto = { org: m.org, role: m.role };
      try {
        if (opts.permission && !m.allowed) {
          throw forbidden(`This needs the ${opts.permission} permission.`);
        }
        if (opts.minRole && !(await isAtLeastRole(user, membership.org, opts.minRole))) {
          throw forbidden("Your role does not allow this.");
        }
        return await (ahead?.take({ user, membership }) ?? fn({ ...args, user, ...membership }));
      } catch (err) {
        // A member refused (403) or sent after an id outside the org (404): evidence in the org's log.
        if (err instanceof AppError && (err.status === 403 || err.status === 404)) {
          const { req, context } = args;
          const route = routePattern(req.method, req.nextUrl.pathname);
          await recordRefusal({ orgId: membership.org.id, action: "access.denied", actor: { type: "user", id: user.id, name: user.email }, route, status: err.status, reason: err.message, context });
        }
        throw err;
      }
    } finally {
      ahead?.end();
    }
  });
}

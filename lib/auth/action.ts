import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { type ErrorBody, forbidden, notFound, toErrorBody, unauthenticated } from "@/lib/errors";
import { validate } from "@/lib/http/body";
import { type RequestContext, requestContextFrom } from "@/lib/http/request-context";
import { findMembershipBySlug, type MembershipDto } from "@/lib/orgs/queries";
import { hasPermission, isAtLeastRole } from "@/lib/rbac";
import { type CurrentUser, getCurrentUser } from "./current-user";

export type ActionResult<T> = { ok: true; data: T } | ({ ok: false } & ErrorBody);

async function run<T>(fn: (context: RequestContext) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const context = requestContextFrom(await headers());
    return { ok: true, data: await fn(context) };
  } catch (err) {
    unstable_rethrow(err); // redirect() and notFound() keep working
    const { body } = toErrorBody(err);
    return { ok: false, ...body };
  }
}

/**
 * A server action for a signed-in user. Input is validated with `schema`; errors come back as
 * `{ ok: false, error }` instead of throwing, so forms can show them.
 */
export function userAction<S extends z.ZodType, R>(
  schema: S,
  fn: (args: { input: z.infer<S>; user: CurrentUser; context: RequestContext }) => Promise<R>,
) {
  return (raw: unknown): Promise<ActionResult<R>> =>
    run(async (context) => {
      const user = await getCurrentUser();
      if (!user) throw unauthenticated();
      return fn({ input: validate(schema, raw), user, context });
    });
}

/**
 * A server action on one org: the first argument is the org slug, checked against the session
 * user's memberships (never trusted on its own); then `permission` / `minRole` are enforced.
 */
export function orgAction<S extends z.ZodType, R>(
  opts: { input: S; permission?: string; minRole?: string },
  fn: (args: { input: z.infer<S>; user: CurrentUser; context: RequestContext } & MembershipDto) => Promise<R>,
) {
  return (orgSlug: string, raw: unknown): Promise<ActionResult<R>> =>
    run(async (context) => {
      const user = await getCurrentUser();
      if (!user) throw unauthenticated();
      const membership = typeof orgSlug === "string" ? await findMembershipBySlug(user.id, orgSlug) : null;
      if (!membership) throw notFound("No such organization.");
      if (opts.permission && !(await hasPermission(user, membership.org, opts.permission))) {
        throw forbidden(`This needs the ${opts.permission} permission.`);
      }
      if (opts.minRole && !(await isAtLeastRole(user, membership.org, opts.minRole))) {
        throw forbidden("Your role does not allow this.");
      }
      return fn({ input: validate(opts.input, raw), user, context, ...membership });
    });
}

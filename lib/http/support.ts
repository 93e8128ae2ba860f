import "server-only";
import type { NextRequest } from "next/server";
import { type SupportAccess, readSupportAccess } from "@/lib/audit/support-access";
import type { CurrentUser } from "@/lib/auth/current-user";
import { isPlatformStaff } from "@/lib/auth/guards";
import { notFound } from "@/lib/errors";
import type { RequestContext } from "./request-context";
import { withUser } from "./route";

type Params = Record<string, string | string[] | undefined>;
interface SupportArgs<P> {
  req: NextRequest;
  params: P;
  context: RequestContext;
  user: CurrentUser;
}

export const SUPPORT_ACCESS_HEADER = "x-audit-access";

/** A route handler for platform staff (support or admin); anyone else gets 404. */
export function withSupport<P extends Params = Params>(fn: (args: SupportArgs<P>) => Promise<Response> | Response) {
  return withUser<P>(async (args) => {
    if (!isPlatformStaff(args.user, "support")) throw notFound();
    return fn(args);
  });
}

/**
 * A support route that reads audit events: also needs a valid access grant (reason given) in the
 * `X-Audit-Access` header. The grant decides which org may be searched.
 */
export function withSupportAccess<P extends Params = Params>(
  fn: (args: SupportArgs<P> & { access: SupportAccess }) => Promise<Response> | Response,
) {
  return withSupport<P>(async (args) => {
    const access = await readSupportAccess(args.req.headers.get(SUPPORT_ACCESS_HEADER), args.user);
    return fn({ ...args, access });
  });
}

import "server-only";
import type { NextRequest } from "next/server";
import { type SupportAccess, readSupportAccess } from "@/lib/audit/support-access";
import type { CurrentUser } from "@/lib/auth/current-user";
import { isPlatformStaff } from "@/lib/auth/guards";
import { sha256 } from "@/lib/crypto";
import { notFound } from "@/lib/errors";
import type { Answer } from "./answer";
import type { RequestContext } from "./request-context";
import { startReadAhead } from "./read-ahead";
import { route, SAFE_METHODS, signedIn } from "./route";

type Params = Record<string, string | string[] | undefined>;
interface SupportArgs<P> {
  req: NextRequest;
  params: P;
  context: RequestContext;
  user: CurrentUser;
}

export const SUPPORT_ACCESS_HEADER = "x-audit-access";

/** A route handler for platform staff (support or admin); anyone else gets 404. */
export function withSupport<P extends Params = Params>(fn: (args: SupportArgs<P>) => Promise<Response | Answer> | Response | Answer) {
  return route<P>(async (args) => fn({ ...args, user: await supportStaff(args.req) }));
}

/** withSupport's checks: withUser's (401, same origin for a write), then platform staff or 404. */
async function supportStaff(req: NextRequest): Promise<CurrentUser> {
  const user = await signedIn(req);
  if (!isPlatformStaff(user, "support")) throw notFound();
  return user;
}

/**
 * A support route that reads audit events: also needs a valid access grant (reason given) in the
 * `X-Audit-Access` header. The grant decides which org may be searched. With `readAhead` (read-only
 * routes; never for a write method), the read may start alongside the checks for a session let in with the same grant lately
 * (lib/http/read-ahead.ts); it is used only when the checks let the request in again the same way.
 */
export function withSupportAccess<P extends Params = Params>(
  fn: (args: SupportArgs<P> & { access: SupportAccess }) => Promise<Response | Answer> | Response | Answer,
  opts: { readAhead?: boolean } = {},
) {
  return route<P>(async (args) => {
    const token = args.req.headers.get(SUPPORT_ACCESS_HEADER);
    // Keyed by the grant token's hash: the bearer secret itself is not kept in memory.
    const ahead =
      opts.readAhead && token && SAFE_METHODS.has(args.req.method)
        ? await startReadAhead(`support\n${sha256(token)}`, async (admitted: { user: CurrentUser; access: SupportAccess }) => fn({ ...args, ...admitted }))
        : null;
    try {
      const user = await supportStaff(args.req);
      const access = await readSupportAccess(token, user);
      return await (ahead?.take({ user, access }) ?? fn({ ...args, user, access }));
    } finally {
      ahead?.end();
    }
  });
}

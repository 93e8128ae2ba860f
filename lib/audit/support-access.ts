import "server-only";
import { eq } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";
import { orgs } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { type Db, getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { forbidden, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import type { AuditOrgScope } from "./filter";
import { recordAudit } from "./record";

export const SUPPORT_ACCESS_TTL_SECONDS = 60 * 60;
const AUDIENCE = "gatehouse:support-audit";

export interface SupportAccess {
  userId: string;
  /** The org being viewed, or null for a search across all orgs. */
  org: { id: string; slug: string; name: string } | null;
  reason: string;
  expiresAt: string;
}

/** The scope a support access grant allows: one org, or every org. */
export function supportScope(access: SupportAccess): AuditOrgScope {
  return access.org ? access.org.id : { allOrgs: true };
}

function key() {
  return new TextEncoder().encode(`${getEnv().AUTH_SECRET}:support-audit-access`);
}

/**
 * Open another org's audit log (or all orgs') for a support staff member, for a stated reason such
 * as a ticket id. The opening is itself an audit event, in the viewed org's own chain (so its
 * admins see it) or in the platform chain for cross-org searches. Returns a short-lived token the
 * explorer sends with every request; the scope comes from it, never from request parameters.
 */
export async function grantSupportAccess(
  args: { user: CurrentUser; orgSlug: string | null; reason: string; context: RequestContext },
  db: Db = getDb(),
): Promise<{ token: string; access: SupportAccess }> {
  let org: SupportAccess["org"] = null;
  if (args.orgSlug) {
    const [row] = await db.select({ id: orgs.id, slug: orgs.slug, name: orgs.name }).from(orgs).where(eq(orgs.slug, args.orgSlug));
    if (!row) throw notFound("No such organization.");
    org = row;
  }
  const expiresAt = new Date(Date.now() + SUPPORT_ACCESS_TTL_SECONDS * 1000);
  await db.transaction((tx) =>
    recordAudit(tx, {
      orgId: org?.id ?? null,
      actor: { type: "support", id: args.user.id, name: args.user.email },
      action: "support.audit_viewed",
      target: org ? { type: "org", id: org.id, name: org.name } : { type: "platform", id: null, name: "All organizations" },
      context: args.context,
      metadata: { reason: args.reason, expiresAt: expiresAt.toISOString() },
    }),
  );
  const access: SupportAccess = { userId: args.user.id, org, reason: args.reason, expiresAt: expiresAt.toISOString() };
  const token = await new SignJWT({ org, reason: args.reason })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(args.user.id)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key());
  return { token, access };
}

/** Check a support access token for this user; 403 when missing, expired or someone else's. */
export async function readSupportAccess(token: string | null, user: CurrentUser): Promise<SupportAccess> {
  if (!token) throw forbidden("Give a reason (such as a ticket id) before viewing audit events.");
  try {
    const { payload } = await jwtVerify(token, key(), { audience: AUDIENCE, algorithms: ["HS256"] });
    if (payload.sub !== user.id) throw new Error("not yours");
    return {
      userId: user.id,
      org: (payload.org as SupportAccess["org"]) ?? null,
      reason: String(payload.reason ?? ""),
      expiresAt: new Date((payload.exp ?? 0) * 1000).toISOString(),
    };
  } catch {
    throw forbidden("Your audit access has expired or is not valid. Give a reason again.");
  }
}

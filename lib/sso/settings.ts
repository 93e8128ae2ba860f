import "server-only";
import { and, eq } from "drizzle-orm";
import { memberships, roles, ssoOrgSettings, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Executor, getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { lockOrgAuthority, topRank } from "@/lib/orgs/authority";
import { normalizeEmail } from "@/lib/users/queries";
import type { Actor } from "./connections";

export interface SsoSettingsDto {
  requireSso: boolean;
  breakGlassEmail: string | null;
}

export async function getSsoSettings(orgId: string, db: Executor = getDb()): Promise<SsoSettingsDto> {
  const [row] = await db
    .select({ requireSso: ssoOrgSettings.requireSso, breakGlassEmail: users.email })
    .from(ssoOrgSettings)
    .leftJoin(users, eq(users.id, ssoOrgSettings.breakGlassUserId))
    .where(eq(ssoOrgSettings.orgId, orgId));
  return { requireSso: row?.requireSso ?? false, breakGlassEmail: row?.breakGlassEmail ?? null };
}

/**
 * Require SSO (or not) and name the break-glass account: an Owner of this org who may still sign in
 * with a password, so a broken IdP never locks the org out. Requiring SSO needs one.
 */
export async function updateSsoSettings(orgId: string, actor: Actor, input: { requireSso: boolean; breakGlassEmail: string | null }, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    await lockOrgAuthority(tx, orgId);
    let breakGlassUserId: string | null = null;
    if (input.breakGlassEmail) {
      const email = normalizeEmail(input.breakGlassEmail);
      const [owner] = await tx
        .select({ id: users.id, rank: roles.rank })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .innerJoin(roles, eq(roles.id, memberships.roleId))
        .where(and(eq(memberships.orgId, orgId), eq(users.email, email)));
      if (!owner || owner.rank < (await topRank(tx))) {
        throw new AppError(400, "invalid_input", "The break-glass account must be an Owner of this organization.", { breakGlassEmail: "Not an Owner here" });
      }
      breakGlassUserId = owner.id;
    }
    if (input.requireSso && !breakGlassUserId) {
      throw new AppError(400, "invalid_input", "Name a break-glass Owner before requiring SSO, so a broken identity provider cannot lock everyone out.", { breakGlassEmail: "Required" });
    }
    const before = await getSsoSettings(orgId, tx);
    await tx
      .insert(ssoOrgSettings)
      .values({ orgId, requireSso: input.requireSso, breakGlassUserId })
      .onConflictDoUpdate({ target: ssoOrgSettings.orgId, set: { requireSso: input.requireSso, breakGlassUserId, updatedAt: new Date() } });
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.id, name: actor.email },
      action: "sso.settings_changed",
      target: { type: "org", id: orgId },
      context,
      metadata: { before, after: { requireSso: input.requireSso, breakGlassEmail: input.breakGlassEmail ? normalizeEmail(input.breakGlassEmail) : null } },
    });
  });
}

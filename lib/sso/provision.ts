import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { memberships, roles, ssoDomains, ssoRoleRules, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { lockOrgAuthority, topRank } from "@/lib/orgs/authority";
import { normalizeEmail } from "@/lib/users/queries";
import { groupsFrom, mappedRole, roleAfterSignIn } from "./claims";
import { emailDomain } from "./home-realm";

export class SsoRefusal extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = "SsoRefusal";
  }
}

export interface ProvisionConnection {
  id: string;
  orgId: string;
  name: string;
  defaultRoleId: string;
  groupsClaim: string;
}

/**
 * The user an IdP asserted, inside the sign-in's transaction: the address must be on one of the
 * connection's org's verified domains (so XCorp's IdP can never speak for anyone else), the user is
 * created on first sign-in (email verified by the assertion), the membership too, and the role follows
 * the mapping rules. Each change is one audit event in the org's chain.
 */
export async function provisionFromIdp(
  tx: Tx,
  connection: ProvisionConnection,
  claims: Record<string, unknown>,
  context: RequestContext,
): Promise<{ userId: string; email: string }> {
  const raw = typeof claims.email === "string" ? claims.email : "";
  const email = normalizeEmail(raw);
  const domain = emailDomain(email);
  if (!domain || email.length > 320) throw new SsoRefusal("no_email", "The identity provider sent no email address.");
  if (claims.email_verified === false) throw new SsoRefusal("email_unverified", "The identity provider says this email address is not verified.");
  const [claim] = await tx
    .select({ id: ssoDomains.id })
    .from(ssoDomains)
    .where(and(eq(ssoDomains.orgId, connection.orgId), eq(ssoDomains.domain, domain), sql`${ssoDomains.verifiedAt} is not null`));
  if (!claim) throw new SsoRefusal("domain_not_claimed", `The identity provider asserted ${email}, which is not on a verified domain of this organization.`);

  const actor = { type: "system" as const, id: null, name: `sso:${connection.name}` };
  const name = typeof claims.name === "string" ? claims.name.slice(0, 200) : null;
  const [created] = await tx
    .insert(users)
    .values({ email, name, emailVerifiedAt: new Date() })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  let userId: string;
  if (created) {
    userId = created.id;
    await recordAudit(tx, { orgId: connection.orgId, actor, action: "sso.user_provisioned", target: { type: "user", id: userId, name: email }, context, metadata: { connectionId: connection.id, sub: claims.sub } });
  } else {
    const [existing] = await tx.select({ id: users.id, disabledAt: users.disabledAt, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.email, email));
    if (!existing || existing.disabledAt) throw new SsoRefusal("account_disabled", "This account is disabled.");
    userId = existing.id;
    // The org's IdP speaks for its verified domain: its assertion confirms the address.
    if (!existing.emailVerifiedAt) await tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, userId));
  }

  await lockOrgAuthority(tx, connection.orgId);
  const rules = await tx
    .select({ group: ssoRoleRules.groupValue, roleId: ssoRoleRules.roleId, rank: roles.rank })
    .from(ssoRoleRules)
    .innerJoin(roles, eq(roles.id, ssoRoleRules.roleId))
    .where(and(eq(ssoRoleRules.orgId, connection.orgId), eq(ssoRoleRules.connectionId, connection.id)));
  const groups = groupsFrom(claims, connection.groupsClaim);
  const mapped = mappedRole(groups, rules);
  const [current] = await tx
    .select({ roleId: memberships.roleId, rank: roles.rank, key: roles.key })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.orgId, connection.orgId), eq(memberships.userId, userId)));
  const roleId = roleAfterSignIn({ current: current ?? null, mapped, defaultRoleId: connection.defaultRoleId, topRank: await topRank(tx) });
  const [role] = await tx.select({ key: roles.key }).from(roles).where(eq(roles.id, roleId));
  if (!current) {
    await tx.insert(memberships).values({ orgId: connection.orgId, userId, roleId });
    await recordAudit(tx, {
      orgId: connection.orgId,
      actor,
      action: "sso.member_provisioned",
      target: { type: "user", id: userId, name: email },
      context,
      metadata: { connectionId: connection.id, role: role?.key, mappedFrom: mapped?.group ?? null, groups },
    });
  } else if (current.roleId !== roleId) {
    await tx.update(memberships).set({ roleId }).where(and(eq(memberships.orgId, connection.orgId), eq(memberships.userId, userId)));
    await recordAudit(tx, {
      orgId: connection.orgId,
      actor,
      action: "sso.role_mapped",
      target: { type: "user", id: userId, name: email },
      context,
      metadata: { connectionId: connection.id, before: current.key, after: role?.key, group: mapped?.group ?? null },
    });
  }
  return { userId, email };
}

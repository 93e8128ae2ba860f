import "server-only";
import { and, eq } from "drizzle-orm";
import { invitations, memberships, orgs, roles, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { sha256 } from "@/lib/crypto";
import { type Executor, getDb, type Tx } from "@/lib/db";
import { AppError, forbidden } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { lockOrgAuthority } from "@/lib/orgs/authority";
import { isPendingInvitation } from "./pending";
import { getMemberRole, hasPermission } from "@/lib/rbac";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

const pending = () => isPendingInvitation();

export interface PendingInvitation {
  id: string;
  org: { id: string; slug: string; name: string };
  role: string;
  expiresAt: Date;
}

/** Pending invitations addressed to this (confirmed) email. */
export async function pendingInvitationsFor(email: string, db: Executor = getDb()): Promise<PendingInvitation[]> {
  const rows = await db
    .select({ id: invitations.id, org: { id: orgs.id, slug: orgs.slug, name: orgs.name }, role: roles.name, expiresAt: invitations.expiresAt })
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .where(and(eq(invitations.email, email), pending()));
  return rows;
}

/** An invitation by its link token, for the invitation page (any state). */
export async function invitationByToken(token: string, db: Executor = getDb()) {
  const [row] = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      acceptedAt: invitations.acceptedAt,
      acceptedBy: invitations.acceptedBy,
      revokedAt: invitations.revokedAt,
      expiresAt: invitations.expiresAt,
      org: { id: orgs.id, slug: orgs.slug, name: orgs.name },
      role: roles.name,
    })
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .where(eq(invitations.tokenHash, sha256(token)));
  return row ?? null;
}

/**
 * Whether the inviter may still grant the invited role: a member of the org who may manage members
 * at or above that rank, or a platform admin (who invites an org's first Owner).
 */
async function inviterMayStillGrant(tx: Tx, inv: { orgId: string; roleId: string; invitedBy: string | null }): Promise<boolean> {
  if (!inv.invitedBy) return false;
  const [inviter] = await tx.select({ platformRole: users.platformRole, disabledAt: users.disabledAt }).from(users).where(eq(users.id, inv.invitedBy));
  if (!inviter || inviter.disabledAt) return false;
  if (inviter.platformRole === "admin") return true;
  const [role] = await tx.select({ rank: roles.rank }).from(roles).where(eq(roles.id, inv.roleId));
  const inviterRole = await getMemberRole(inv.invitedBy, inv.orgId, tx);
  if (!role || !inviterRole || inviterRole.rank < role.rank) return false;
  return hasPermission(inv.invitedBy, inv.orgId, "members::manage", tx);
}

/**
 * Accept an invitation for `user`, inside the caller's transaction: the pending check is part of the
 * UPDATE, so two simultaneous accepts cannot both win. The address must be the user's own.
 */
export async function acceptInvitation(
  tx: Tx,
  user: { id: string; email: string; name: string | null },
  where: { id: string } | { token: string },
  context: RequestContext,
): Promise<{ org: { id: string; slug: string; name: string } }> {
  const match = "id" in where ? eq(invitations.id, where.id) : eq(invitations.tokenHash, sha256(where.token));
  const [invitation] = await tx
    .select({ email: invitations.email, orgId: invitations.orgId, roleId: invitations.roleId, invitedBy: invitations.invitedBy })
    .from(invitations)
    .where(match);
  if (invitation && invitation.email !== user.email) {
    throw forbidden(`This invitation was sent to another address. Sign in as ${invitation.email} to accept it.`);
  }
  if (invitation) {
    // Serialized with role changes and removals in the org; the invitation carries its inviter's
    // authority, checked now rather than when it was sent.
    await lockOrgAuthority(tx, invitation.orgId);
    if (!(await inviterMayStillGrant(tx, invitation))) {
      throw new AppError(410, "invitation_unavailable", "The person who invited you can no longer grant this role. Ask for a new invitation.");
    }
  }
  const [accepted] = await tx
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedBy: user.id })
    .where(and(match, eq(invitations.email, user.email), pending()))
    .returning({ id: invitations.id, orgId: invitations.orgId, roleId: invitations.roleId });
  if (!accepted) throw new AppError(410, "invitation_unavailable", "This invitation has expired, was revoked or was already used.");
  const [org] = await tx.select({ id: orgs.id, slug: orgs.slug, name: orgs.name }).from(orgs).where(eq(orgs.id, accepted.orgId));
  const [role] = await tx.select({ name: roles.name }).from(roles).where(eq(roles.id, accepted.roleId));
  await tx.insert(memberships).values({ orgId: accepted.orgId, userId: user.id, roleId: accepted.roleId }).onConflictDoNothing();
  await recordAudit(tx, {
    orgId: accepted.orgId,
    actor: { type: "user", id: user.id, name: user.name ?? user.email },
    action: "org.joined",
    target: { type: "user", id: user.id, name: user.email },
    context,
    metadata: { via: "invitation", invitationId: accepted.id, role: role?.name },
  });
  await emitWebhookEvent(tx, "org.member_added", `org:${accepted.orgId}`, { orgId: accepted.orgId, orgSlug: org?.slug, userId: user.id, email: user.email, role: role?.name, via: "invitation" });
  return { org: org! };
}

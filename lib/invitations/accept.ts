import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { invitations, memberships, orgs, roles } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { sha256 } from "@/lib/crypto";
import { type Executor, getDb, type Tx } from "@/lib/db";
import { AppError, forbidden } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";

const pending = () => and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date()));

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
  const [invitation] = await tx.select({ email: invitations.email }).from(invitations).where(match);
  if (invitation && invitation.email !== user.email) {
    throw forbidden(`This invitation was sent to another address. Sign in as ${invitation.email} to accept it.`);
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
  return { org: org! };
}

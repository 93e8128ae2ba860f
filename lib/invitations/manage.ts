import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { invitations, roles, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Executor, getDb, type Tx } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import { actorRoleNow, lockOrgAuthority } from "@/lib/orgs/authority";
import type { RequestContext } from "@/lib/http/request-context";
import type { MembershipDto } from "@/lib/orgs/queries";
import { createInvitation } from "./create";
import { isPendingInvitation } from "./pending";

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

/** The org's invitations, newest first, with their status (never the token). */
export async function listInvitations(orgId: string, db: Executor = getDb()) {
  const rows = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: roles.name,
      roleKey: roles.key,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      invitedBy: users.email,
    })
    .from(invitations)
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.orgId, orgId))
    .orderBy(desc(invitations.createdAt))
    .limit(200);
  const now = new Date();
  return rows.map((r) => ({
    ...r,
    status: (r.acceptedAt ? "accepted" : r.revokedAt ? "revoked" : r.expiresAt < now ? "expired" : "pending") as InvitationStatus,
  }));
}

async function pendingInvitation(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .select({ id: invitations.id, email: invitations.email, roleKey: roles.key, role: roles.name, rank: roles.rank })
    .from(invitations)
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .where(
      and(
        eq(invitations.id, id),
        eq(invitations.orgId, orgId),
        isPendingInvitation(),
      ),
    );
  return row ?? null;
}

/**
 * A pending invitation of this org that the actor may act on: looked up under the org's authority
 * lock, the actor's role re-read there and at least the invitation's rank (an Admin cannot touch an
 * Owner-level invitation it could not have sent). Ids of other orgs are 404 before anything else.
 */
async function invitationInReach(tx: Tx, orgId: string, actorId: string, id: string) {
  await lockOrgAuthority(tx, orgId);
  const invitation = await pendingInvitation(tx, orgId, id);
  if (!invitation) throw notFound("No pending invitation with that id in this organization.");
  const actorRole = await actorRoleNow(tx, orgId, actorId);
  if (actorRole.rank < invitation.rank) throw forbidden(`Only a ${invitation.role} or above can change an invitation as ${invitation.role}.`);
  return invitation;
}

/** Withdraw a pending invitation of this org: its link stops working at once. */
export async function revokeInvitation(
  actor: { id: string; email: string; name: string | null },
  { org }: MembershipDto,
  id: string,
  context: RequestContext,
): Promise<void> {
  await getDb().transaction(async (tx) => {
    const invitation = await invitationInReach(tx, org.id, actor.id, id);
    await tx.update(invitations).set({ revokedAt: new Date() }).where(and(eq(invitations.id, id), eq(invitations.orgId, org.id)));
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "invitation.revoked",
      target: { type: "invitation", id, name: invitation.email },
      context,
      metadata: { role: invitation.role },
    });
  });
}

/** Send a pending invitation again with a fresh link (the old link stops working). */
export async function resendInvitation(
  actor: { id: string; email: string; name: string | null },
  membership: MembershipDto,
  id: string,
  context: RequestContext,
) {
  const invitation = await getDb().transaction((tx) => invitationInReach(tx, membership.org.id, actor.id, id));
  return createInvitation(actor, membership, { email: invitation.email, roleKey: invitation.roleKey }, context, { resend: true });
}

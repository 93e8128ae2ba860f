import "server-only";
import { and, count, eq, gt, inArray, sql } from "drizzle-orm";
import { invitations, memberships, roles } from "@/drizzle/schema";
import type { Executor, Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { isPendingInvitation } from "@/lib/invitations/pending";
import { getMemberRole, hasPermission, type RoleDto } from "@/lib/rbac";

/**
 * Serialize authority changes in one org: role changes, removals, leaving, ownership transfer,
 * invitations and their acceptance all take this row lock first, inside their transaction, so two
 * of them never decide on the same stale picture (two Owners demoting each other, a demotion racing
 * an invitation's acceptance). `FOR NO KEY UPDATE` conflicts only with itself and `FOR UPDATE`, so
 * ordinary inserts that reference the org (grants, events) are not held up.
 */
export async function lockOrgAuthority(tx: Tx, orgId: string): Promise<void> {
  const rows = await tx.execute(sql`select id from orgs where id = ${orgId} for no key update`);
  if (!(rows as unknown as { rows: unknown[] }).rows.length) throw notFound("No such organization.");
}

/** The actor's role re-read under the lock: what they were when the request began no longer counts. */
export async function actorRoleNow(tx: Tx, orgId: string, actorId: string): Promise<RoleDto> {
  const role = await getMemberRole(actorId, orgId, tx);
  if (!role) throw notFound("No such organization.");
  return role;
}

/** The highest rank (Owner by default). */
export async function topRank(db: Executor): Promise<number> {
  const [top] = await db.select({ rank: sql<number>`max(${roles.rank})` }).from(roles);
  return Number(top?.rank ?? 0);
}

/** Members holding the top role; read under the lock, so the "at least one Owner" rule holds. */
export async function countOwners(db: Executor, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.orgId, orgId), eq(roles.rank, sql`(select max(rank) from ${roles})`)));
  return row?.n ?? 0;
}

/**
 * After `userId` lost rank or left: withdraw their pending invitations they could no longer send
 * (a role above their new rank, or any role once they may not manage members). Returns the ids.
 */
export async function revokeInvitationsBeyondAuthority(tx: Tx, orgId: string, userId: string): Promise<string[]> {
  const role = await getMemberRole(userId, orgId, tx);
  const mayInvite = role ? await hasPermission(userId, orgId, "members::manage", tx) : false;
  const now = new Date();
  const rows = await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.orgId, orgId),
        eq(invitations.invitedBy, userId),
        isPendingInvitation(now),
        mayInvite && role
          ? inArray(invitations.roleId, tx.select({ id: roles.id }).from(roles).where(gt(roles.rank, role.rank)))
          : undefined,
      ),
    )
    .returning({ id: invitations.id });
  return rows.map((r) => r.id);
}

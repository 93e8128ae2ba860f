import "server-only";
import { and, asc, desc, eq, gt, ilike, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, mfaTotp, oauthGrants, roles, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Executor, getDb, type Tx } from "@/lib/db";
import { actorRoleNow, countOwners, lockOrgAuthority, revokeInvitationsBeyondAuthority, topRank } from "./authority";
import { conflict, forbidden, invalidInput, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import type { MembershipDto } from "./queries";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

export interface MemberDto {
  userId: string;
  email: string;
  name: string | null;
  role: { key: string; name: string; rank: number };
  mfaEnabled: boolean;
  lastSignInAt: Date | null;
  joinedAt: Date;
}

export const listMembersSchema = z.object({
  search: z.string().trim().max(100).optional(),
  /** Keyset cursor: the email of the last row of the previous page. */
  after: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** Members of one org (scoped by the org from the caller's membership), by email, keyset-paginated. */
export async function listMembers(orgId: string, input: z.infer<typeof listMembersSchema>, db: Executor = getDb()) {
  const search = input.search ? `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const matches = search ? or(ilike(users.email, search), ilike(users.name, search)) : undefined;
  // The count ("12 members", "2 match") comes with the first page only; later pages keep it.
  const total = input.after
    ? Promise.resolve(undefined)
    : db
        .select({ n: sql<number>`count(*)::int` })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), matches))
        .then(([row]) => Number(row?.n ?? 0));
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: { key: roles.key, name: roles.name, rank: roles.rank },
      mfaEnabled: sql<boolean>`${mfaTotp.enabledAt} is not null`,
      lastSignInAt: users.lastSignInAt,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .leftJoin(mfaTotp, eq(mfaTotp.userId, users.id))
    .where(
      and(
        eq(memberships.orgId, orgId),
        matches,
        input.after ? gt(users.email, input.after) : undefined,
      ),
    )
    .orderBy(asc(users.email))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit) as MemberDto[];
  return { members: page, nextCursor: rows.length > input.limit ? page.at(-1)!.email : null, total: await total };
}

type Actor = { id: string; email: string; name: string | null };

async function targetMember(db: Executor, orgId: string, userId: string) {
  const [row] = await db
    .select({ userId: memberships.userId, email: users.email, role: { id: roles.id, key: roles.key, name: roles.name, rank: roles.rank } })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!row) throw notFound("No such member in this organization.");
  return row;
}

export const changeRoleSchema = z.object({ roleKey: z.string().min(1).max(64) }).strict();

const actorOf = (a: Actor) => ({ type: "user" as const, id: a.id, name: a.name ?? a.email });

/**
 * Change a member's role. Under the org's authority lock, with the actor's role re-read there: an
 * admin cannot grant a role above their own, nor change someone who outranks them; the last Owner
 * cannot be demoted. A demoted member's pending invitations beyond their new authority are
 * withdrawn. One transaction with its audit event.
 */
export async function changeMemberRole(
  actor: Actor,
  { org }: MembershipDto,
  userId: string,
  input: z.infer<typeof changeRoleSchema>,
  context: RequestContext,
): Promise<MemberDto["role"]> {
  return getDb().transaction(async (tx) => {
    await lockOrgAuthority(tx, org.id);
    const actorRole = await actorRoleNow(tx, org.id, actor.id);
    const target = await targetMember(tx, org.id, userId);
    const [newRole] = await tx.select().from(roles).where(eq(roles.key, input.roleKey));
    if (!newRole) throw invalidInput(`There is no role "${input.roleKey}".`, { roleKey: "Unknown role" });
    if (newRole.rank > actorRole.rank) throw forbidden(`You cannot grant ${newRole.name}, above your own role.`);
    if (target.role.rank > actorRole.rank) throw forbidden(`You cannot change the role of a ${target.role.name}.`);
    if (target.role.id === newRole.id) return { key: newRole.key, name: newRole.name, rank: newRole.rank };
    const top = await topRank(tx);
    if (target.role.rank >= top && newRole.rank < top && (await countOwners(tx, org.id)) <= 1) {
      throw conflict(`${target.email} is the last ${target.role.name}; make someone else ${target.role.name} first.`, "last_owner");
    }
    await tx.update(memberships).set({ roleId: newRole.id }).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
    const withdrawn = newRole.rank < target.role.rank ? await revokeInvitationsBeyondAuthority(tx, org.id, userId) : [];
    await recordAudit(tx, {
      orgId: org.id,
      actor: actorOf(actor),
      action: "member.role_changed",
      target: { type: "user", id: userId, name: target.email },
      context,
      metadata: { before: { role: target.role.name }, after: { role: newRole.name }, ...(withdrawn.length ? { invitationsRevoked: withdrawn } : {}) },
    });
    await emitWebhookEvent(tx, "org.member_role_changed", `org:${org.id}`, { orgId: org.id, orgSlug: org.slug, userId, email: target.email, before: target.role.key, after: newRole.key });
    return { key: newRole.key, name: newRole.name, rank: newRole.rank };
  });
}

/**
 * End a membership inside the caller's transaction (lock held): the last Owner cannot go, the
 * member's OAuth grants for the org are revoked and their pending invitations withdrawn.
 */
async function endMembership(tx: Tx, orgId: string, target: { userId: string; email: string; role: { name: string; rank: number } }) {
  if (target.role.rank >= (await topRank(tx)) && (await countOwners(tx, orgId)) <= 1) {
    throw conflict(`${target.email} is the last ${target.role.name}; make someone else ${target.role.name} first.`, "last_owner");
  }
  await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, target.userId)));
  const grants = await tx
    .update(oauthGrants)
    .set({ revokedAt: new Date(), revokedReason: "member_removed" })
    .where(and(eq(oauthGrants.orgId, orgId), eq(oauthGrants.userId, target.userId), isNull(oauthGrants.revokedAt)))
    .returning({ id: oauthGrants.id });
  const invitationsRevoked = await revokeInvitationsBeyondAuthority(tx, orgId, target.userId);
  return { grantsRevoked: grants.length, invitationsRevoked };
}

/**
 * Remove a member: their access to this org ends on their next request (membership is checked on
 * every request), and every OAuth grant they gave for this org is revoked at once.
 */
export async function removeMember(actor: Actor, { org }: MembershipDto, userId: string, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    await lockOrgAuthority(tx, org.id);
    const actorRole = await actorRoleNow(tx, org.id, actor.id);
    const target = await targetMember(tx, org.id, userId);
    if (target.role.rank > actorRole.rank) throw forbidden(`You cannot remove a ${target.role.name}.`);
    const ended = await endMembership(tx, org.id, target);
    await recordAudit(tx, {
      orgId: org.id,
      actor: actorOf(actor),
      action: "member.removed",
      target: { type: "user", id: userId, name: target.email },
      context,
      metadata: { before: { role: target.role.name }, ...ended },
    });
    await emitWebhookEvent(tx, "org.member_removed", `org:${org.id}`, { orgId: org.id, orgSlug: org.slug, userId, email: target.email, via: "removed" });
  });
}

/** Leave an org (any member; the last Owner must hand over first). */
export async function leaveOrg(actor: Actor, { org }: MembershipDto, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    await lockOrgAuthority(tx, org.id);
    const target = await targetMember(tx, org.id, actor.id);
    const ended = await endMembership(tx, org.id, target);
    await recordAudit(tx, {
      orgId: org.id,
      actor: actorOf(actor),
      action: "member.left",
      target: { type: "user", id: actor.id, name: target.email },
      context,
      metadata: { before: { role: target.role.name }, ...ended },
    });
    await emitWebhookEvent(tx, "org.member_removed", `org:${org.id}`, { orgId: org.id, orgSlug: org.slug, userId: actor.id, email: target.email, via: "left" });
  });
}

export const transferOwnershipSchema = z.object({ userId: z.uuid() }).strict();

/**
 * An Owner hands ownership to another member: they become Owner, the actor steps down to the next
 * role below, in one transaction under the org's authority lock (the actor's rank re-read there).
 */
export async function transferOwnership(actor: Actor, { org }: MembershipDto, userId: string, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    await lockOrgAuthority(tx, org.id);
    const actorRole = await actorRoleNow(tx, org.id, actor.id);
    const top = await topRank(tx);
    if (actorRole.rank < top) throw forbidden("Only an Owner can transfer ownership.");
    if (userId === actor.id) throw invalidInput("Choose another member.", { userId: "That is you" });
    const target = await targetMember(tx, org.id, userId);
    const [next] = await tx.select().from(roles).where(lt(roles.rank, top)).orderBy(desc(roles.rank)).limit(1);
    if (!next) throw conflict("There is no role below Owner to step down to.");
    await tx.update(memberships).set({ roleId: actorRole.id }).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
    await tx.update(memberships).set({ roleId: next.id }).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, actor.id)));
    const withdrawn = await revokeInvitationsBeyondAuthority(tx, org.id, actor.id);
    await recordAudit(tx, {
      orgId: org.id,
      actor: actorOf(actor),
      action: "org.ownership_transferred",
      target: { type: "user", id: userId, name: target.email },
      context,
      metadata: { before: { owner: actor.email, role: target.role.name }, after: { owner: target.email, formerOwnerRole: next.name }, invitationsRevoked: withdrawn },
    });
    await emitWebhookEvent(tx, "org.member_role_changed", `org:${org.id}`, { orgId: org.id, orgSlug: org.slug, userId, email: target.email, before: target.role.key, after: "owner", via: "ownership_transferred" });
    await emitWebhookEvent(tx, "org.member_role_changed", `org:${org.id}`, { orgId: org.id, orgSlug: org.slug, userId: actor.id, email: actor.email, before: actorRole.key, after: next.key, via: "ownership_transferred" });
  });
}

import "server-only";
import { and, asc, count, eq, gt, ilike, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, mfaTotp, oauthGrants, roles, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Executor, getDb } from "@/lib/db";
import { conflict, forbidden, invalidInput, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import type { MembershipDto } from "./queries";

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
        search ? or(ilike(users.email, search), ilike(users.name, search)) : undefined,
        input.after ? gt(users.email, input.after) : undefined,
      ),
    )
    .orderBy(asc(users.email))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit) as MemberDto[];
  return { members: page, nextCursor: rows.length > input.limit ? page.at(-1)!.email : null };
}

type Actor = { id: string; email: string; name: string | null };

async function countOwners(db: Executor, orgId: string): Promise<number> {
  const top = db.select({ rank: sql<number>`max(${roles.rank})` }).from(roles);
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.orgId, orgId), eq(roles.rank, sql`(${top})`)));
  return row?.n ?? 0;
}

async function targetMember(db: Executor, orgId: string, userId: string) {
  const [row] = await db
    .select({ userId: memberships.userId, email: users.email, role: { id: roles.id, key: roles.key, name: roles.name, rank: roles.rank } })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!row) throw notFound("No such member in this organization.");
  return row;
}

async function isTopRole(db: Executor, rank: number): Promise<boolean> {
  const [top] = await db.select({ rank: sql<number>`max(${roles.rank})` }).from(roles);
  return rank >= Number(top?.rank ?? 0);
}

export const changeRoleSchema = z.object({ roleKey: z.string().min(1).max(64) }).strict();

/**
 * Change a member's role. An admin cannot grant a role above their own, nor change someone who
 * outranks them; the last Owner cannot be demoted. One transaction with its audit event.
 */
export async function changeMemberRole(
  actor: Actor,
  { org, role: actorRole }: MembershipDto,
  userId: string,
  input: z.infer<typeof changeRoleSchema>,
  context: RequestContext,
): Promise<MemberDto["role"]> {
  return getDb().transaction(async (tx) => {
    const [newRole] = await tx.select().from(roles).where(eq(roles.key, input.roleKey));
    if (!newRole) throw invalidInput(`There is no role "${input.roleKey}".`, { roleKey: "Unknown role" });
    const target = await targetMember(tx, org.id, userId);
    if (newRole.rank > actorRole.rank) throw forbidden(`You cannot grant ${newRole.name}, above your own role.`);
    if (target.role.rank > actorRole.rank) throw forbidden(`You cannot change the role of a ${target.role.name}.`);
    if (target.role.id === newRole.id) return { key: newRole.key, name: newRole.name, rank: newRole.rank };
    if ((await isTopRole(tx, target.role.rank)) && newRole.rank < target.role.rank && (await countOwners(tx, org.id)) <= 1) {
      throw conflict(`${target.email} is the last ${target.role.name}; make someone else ${target.role.name} first.`, "last_owner");
    }
    await tx.update(memberships).set({ roleId: newRole.id }).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "member.role_changed",
      target: { type: "user", id: userId, name: target.email },
      context,
      metadata: { before: { role: target.role.name }, after: { role: newRole.name } },
    });
    return { key: newRole.key, name: newRole.name, rank: newRole.rank };
  });
}

/**
 * Remove a member: their access to this org ends on their next request (membership is checked on
 * every request), and every OAuth grant they gave for this org is revoked at once.
 */
export async function removeMember(actor: Actor, { org, role: actorRole }: MembershipDto, userId: string, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    const target = await targetMember(tx, org.id, userId);
    if (target.role.rank > actorRole.rank) throw forbidden(`You cannot remove a ${target.role.name}.`);
    if ((await isTopRole(tx, target.role.rank)) && (await countOwners(tx, org.id)) <= 1) {
      throw conflict(`${target.email} is the last ${target.role.name} and cannot be removed.`, "last_owner");
    }
    await tx.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
    const grants = await tx
      .update(oauthGrants)
      .set({ revokedAt: new Date(), revokedReason: "member_removed" })
      .where(and(eq(oauthGrants.orgId, org.id), eq(oauthGrants.userId, userId), isNull(oauthGrants.revokedAt)))
      .returning({ id: oauthGrants.id });
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "member.removed",
      target: { type: "user", id: userId, name: target.email },
      context,
      metadata: { before: { role: target.role.name }, grantsRevoked: grants.length },
    });
  });
}

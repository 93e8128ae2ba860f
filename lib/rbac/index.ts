import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { memberships, orgs, roleMappingPermissions, roles } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

type Ref = string | { id: string };
const idOf = (r: Ref) => (typeof r === "string" ? r : r.id);

export interface RoleDto {
  id: string;
  key: string;
  name: string;
  rank: number;
}

/** The user's role in the org, or null when not a member. */
export async function getMemberRole(user: Ref, org: Ref, db: Executor = getDb()): Promise<RoleDto | null> {
  const [row] = await db
    .select({ id: roles.id, key: roles.key, name: roles.name, rank: roles.rank })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.userId, idOf(user)), eq(memberships.orgId, idOf(org))));
  return row ?? null;
}

/**
 * Whether the user holds `permission` in the org: their role there, looked up in the role mapping
 * the org is subscribed to. Read from the database each time, so changes apply on the next request.
 */
export async function hasPermission(user: Ref, org: Ref, permission: string, db: Executor = getDb()): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .innerJoin(
      roleMappingPermissions,
      and(
        eq(roleMappingPermissions.mappingId, orgs.roleMappingId),
        eq(roleMappingPermissions.roleId, memberships.roleId),
        eq(roleMappingPermissions.permissionId, permission),
      ),
    )
    .where(and(eq(memberships.userId, idOf(user)), eq(memberships.orgId, idOf(org))))
    .limit(1);
  return rows.length > 0;
}

/** Whether the user's role in the org ranks at or above the role with key `roleKey`. */
export async function isAtLeastRole(user: Ref, org: Ref, roleKey: string, db: Executor = getDb()): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(
      and(
        eq(memberships.userId, idOf(user)),
        eq(memberships.orgId, idOf(org)),
        sql`${roles.rank} >= (select r.rank from ${roles} r where r.key = ${roleKey})`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Every permission the user holds in the org, sorted. */
export async function listPermissions(user: Ref, org: Ref, db: Executor = getDb()): Promise<string[]> {
  const rows = await db
    .select({ id: roleMappingPermissions.permissionId })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .innerJoin(
      roleMappingPermissions,
      and(eq(roleMappingPermissions.mappingId, orgs.roleMappingId), eq(roleMappingPermissions.roleId, memberships.roleId)),
    )
    .where(and(eq(memberships.userId, idOf(user)), eq(memberships.orgId, idOf(org))))
    .orderBy(asc(roleMappingPermissions.permissionId));
  return rows.map((r) => r.id);
}

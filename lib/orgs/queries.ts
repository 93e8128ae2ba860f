import "server-only";
import { and, asc, count, eq, type Placeholder, sql } from "drizzle-orm";
import { memberships, orgs, roleMappingPermissions, roles } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import type { RoleDto } from "@/lib/rbac";

export interface OrgDto {
  id: string;
  slug: string;
  name: string;
  requireMfa: boolean;
}

export interface MembershipDto {
  org: OrgDto;
  role: RoleDto;
}

export const orgColumns = { id: orgs.id, slug: orgs.slug, name: orgs.name, requireMfa: orgs.requireMfa };
export const roleColumns = { id: roles.id, key: roles.key, name: roles.name, rank: roles.rank };

/** Whether the role of the joined membership holds `permission` under the joined org's plan (what `hasPermission` answers). */
export const holdsPermission = (permission: string | Placeholder) =>
  sql<boolean>`exists (select 1 from ${roleMappingPermissions} where ${roleMappingPermissions.mappingId} = ${orgs.roleMappingId}
    and ${roleMappingPermissions.roleId} = ${memberships.roleId} and ${roleMappingPermissions.permissionId} = ${permission})`;

/**
 * The org with this slug and the user's role in it, or null when the org does not exist or the
 * user is not a member (the two look the same to the caller on purpose).
 */
export async function findMembershipBySlug(userId: string, slug: string, db: Executor = getDb()): Promise<MembershipDto | null> {
  const [row] = await db
    .select({ org: orgColumns, role: roleColumns })
    .from(orgs)
    .innerJoin(memberships, and(eq(memberships.orgId, orgs.id), eq(memberships.userId, userId)))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(eq(orgs.slug, slug));
  return row ?? null;
}

/** The orgs a user belongs to, with their role, by name. */
export async function listUserOrgs(userId: string, db: Executor = getDb()): Promise<MembershipDto[]> {
  return db
    .select({ org: orgColumns, role: roleColumns })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(orgs.name));
}

export async function countMembers(orgId: string, db: Executor = getDb()): Promise<number> {
  const [row] = await db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, orgId));
  return row?.n ?? 0;
}

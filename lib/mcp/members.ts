import "server-only";
import { asc, eq } from "drizzle-orm";
import { memberships, roles, users } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";

/** Members of one org (the token's), by email, for the list_members tool. */
export function listOrgMembers(db: Executor, orgId: string, limit: number) {
  return db
    .select({ email: users.email, name: users.name, role: roles.name, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.email))
    .limit(limit);
}

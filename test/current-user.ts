import type { CurrentUser } from "@/lib/auth/current-user";

/**
 * A stand-in for lib/auth/current-user in route tests: `who()` is the signed-in user, with no session
 * row behind it. Org routes (withOrg) get that user's membership and permission from the real
 * membership tables, as the one-statement check reads them.
 */
export function currentUserMock(who: () => CurrentUser | null) {
  return {
    getCurrentUser: async () => who(),
    currentSessionId: async () => who()?.sessionIdHash ?? null,
    getCurrentUserInOrg: async (slug: string, permission?: string) => {
      const user = who();
      if (!user) return null;
      const { and, eq, sql } = await import("drizzle-orm");
      const { memberships, orgs, roles } = await import("@/drizzle/schema");
      const { getDb } = await import("@/lib/db");
      const { holdsPermission, orgColumns, roleColumns } = await import("@/lib/orgs/queries");
      const [m] = await getDb()
        .select({ org: orgColumns, role: roleColumns, allowed: permission ? holdsPermission(permission) : sql<boolean>`false` })
        .from(orgs)
        .innerJoin(memberships, and(eq(memberships.orgId, orgs.id), eq(memberships.userId, user.id)))
        .innerJoin(roles, eq(roles.id, memberships.roleId))
        .where(eq(orgs.slug, slug));
      return { user, membership: m ? { ...m, allowed: m.allowed === true } : null };
    },
  };
}

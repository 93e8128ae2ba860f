import "server-only";
import { asc, count, eq, ilike, or } from "drizzle-orm";
import { memberships, orgs, roleMappings } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

/** Every org with its plan and member count, for platform staff. */
export async function listAllOrgs(search?: string, db: Executor = getDb()) {
  const q = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return db
    .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, mappingId: orgs.roleMappingId, plan: roleMappings.name, members: count(memberships.userId) })
    .from(orgs)
    .innerJoin(roleMappings, eq(roleMappings.id, orgs.roleMappingId))
    .leftJoin(memberships, eq(memberships.orgId, orgs.id))
    .where(q ? or(ilike(orgs.name, q), ilike(orgs.slug, q)) : undefined)
    .groupBy(orgs.id, roleMappings.name)
    .orderBy(asc(orgs.name))
    .limit(200);
}

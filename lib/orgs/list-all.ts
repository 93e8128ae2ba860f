import "server-only";
import { asc } from "drizzle-orm";
import { orgs } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

/** Every org's slug and name, by name: for platform staff pickers only. */
export async function listAllOrgs(db: Executor = getDb()): Promise<{ slug: string; name: string }[]> {
  return db.select({ slug: orgs.slug, name: orgs.name }).from(orgs).orderBy(asc(orgs.name)).limit(5000);
}

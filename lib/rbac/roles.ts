import "server-only";
import { desc } from "drizzle-orm";
import { roles } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import type { RoleDto } from "./index";

/** Every role, highest first. */
export async function listRoles(db: Executor = getDb()): Promise<RoleDto[]> {
  return db.select({ id: roles.id, key: roles.key, name: roles.name, rank: roles.rank }).from(roles).orderBy(desc(roles.rank));
}

import "server-only";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { ensureCatalogue } from "@/lib/catalogue";
import type { Database } from "./client";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle", "migrations");
const MIGRATION_LOCK = 7_243_991; // any constant shared by every Gatehouse node

/**
 * Apply pending migrations, then make sure audit partitions exist ahead of time and the catalogue
 * (base roles, checked permissions, default plan) is installed. Safe to call on
 * every start and from several nodes at once: on a server, an advisory lock serializes them.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  await database.withConnection(async (db) => {
    if (database.kind === "postgres") await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      if (database.kind === "postgres") {
        await migratePg(db as unknown as NodePgDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
      } else {
        await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
      }
      await db.execute(sql`select audit_ensure_partitions(1, 3)`);
      // Roles, permissions and the default plan every install needs, demo or not.
      await ensureCatalogue(db);
    } finally {
      if (database.kind === "postgres") await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  });
}

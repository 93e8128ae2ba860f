import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/db";
import { queryRows } from "./client";
import { migrateDatabase } from "./migrate";

describe("migrations", () => {
  it("apply cleanly to an empty database, and again as a no-op on the next start", async () => {
    const database = await createTestDatabase({ migrate: false });
    try {
      await migrateDatabase(database);
      await migrateDatabase(database);
      const tables = await queryRows<{ table_name: string }>(
        database.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      );
      const names = tables.map((r) => r.table_name);
      for (const t of ["users", "orgs", "memberships", "roles", "permissions", "role_mappings", "role_mapping_permissions", "sessions", "mail_outbox", "rate_limit_buckets", "audit_events", "audit_chain_heads"]) {
        expect(names).toContain(t);
      }
      // Monthly audit partitions exist ahead of time, plus the default one.
      const parts = await queryRows<{ name: string }>(
        database.db,
        sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'audit_events'::regclass`,
      );
      const partNames = parts.map((r) => r.name);
      expect(partNames).toContain("audit_events_default");
      const thisMonth = new Date().toISOString().slice(0, 7).replace("-", "_");
      expect(partNames).toContain(`audit_events_${thisMonth}`);
    } finally {
      await database.dispose();
    }
  });

  it("keep every tenant-owned table keyed by org_id", async () => {
    const database = await createTestDatabase();
    try {
      const cols = await queryRows<{ table_name: string }>(
        database.db,
        sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'org_id'`,
      );
      const withOrg = new Set(cols.map((r) => r.table_name));
      for (const t of ["memberships", "audit_events", "mail_outbox"]) expect(withOrg).toContain(t);
    } finally {
      await database.dispose();
    }
  });
});

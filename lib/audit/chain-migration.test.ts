import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, migrateDatabase } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { recordAudit } from "./record";
import { flushAuditChains } from "./sequencer";
import { verifyChain } from "./verify";
import { GENESIS_HASH, hashEvent } from "./verify-core.mjs";

const dir = mkdtempSync(path.join(os.tmpdir(), "gh-mig-"));
let database: TestDatabase | undefined;
afterAll(async () => {
  await database?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The migrations folder as it was before 0009. */
function foldersBefore0009(): string {
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx < 9);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe("migration 0009: chains move from audit_events to audit_chain_links", () => {
  it("carries existing chained events over as links that verify, and new events continue the chain", async () => {
    database = await createTestDatabase({ migrate: false });
    const before = foldersBefore0009();
    await database.withConnection(async (db) => {
      if (database!.kind === "postgres") await migratePg(db as unknown as NodePgDatabase, { migrationsFolder: before });
      else await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder: before });
    });
    const { db } = database;
    await db.execute(sql`select audit_ensure_partitions(1, 3)`);
    const [mapping] = ((await db.execute(sql`insert into role_mappings (name) values ('m') returning id`)) as unknown as { rows: { id: string }[] }).rows;
    const [org] = ((await db.execute(sql`insert into orgs (slug, name, role_mapping_id) values ('old', 'Old', ${mapping!.id}) returning id`)) as unknown as { rows: { id: string }[] }).rows;
    // Written the old way: chain columns on the event, the head moved along.
    let prev = GENESIS_HASH;
    const t0 = Date.now() - 60_000;
    for (let seq = 1; seq <= 5; seq++) {
      const row = {
        id: crypto.randomUUID(), occurredAt: new Date(t0 + seq), orgId: org!.id, chainSeq: seq, actorType: "user", actorId: "u1", actorName: "Ann",
        onBehalfOfUserId: null, onBehalfOfName: null, clientId: null, grantId: null, action: "member.invited", targetType: null, targetId: null,
        targetName: null, outcome: "success", ip: null, userAgent: null, requestId: null, metadata: { seq },
      };
      const hash = hashEvent(prev, row);
      await db.execute(sql`insert into audit_events (id, occurred_at, org_id, chain_seq, prev_hash, hash, actor_type, actor_id, actor_name, action, outcome, metadata)
        values (${row.id}, ${row.occurredAt.toISOString()}::timestamptz, ${org!.id}, ${seq}, ${prev}, ${hash}, 'user', 'u1', 'Ann', 'member.invited', 'success', ${JSON.stringify(row.metadata)}::jsonb)`);
      prev = hash;
    }
    await db.execute(sql`insert into audit_chain_heads (chain_key, last_seq, last_hash) values (${org!.id}, 5, ${prev})`);

    await migrateDatabase(database);
    const cols = (await db.execute(sql`select column_name from information_schema.columns where table_name = 'audit_events' and column_name in ('chain_seq', 'prev_hash', 'hash')`)) as unknown as { rows: unknown[] };
    expect(cols.rows).toEqual([]);
    expect(await verifyChain(db, org!.id)).toMatchObject({ ok: true, checked: 5 });
    await db.transaction((tx) => recordAudit(tx, { orgId: org!.id, actor: { type: "system" }, action: "org.renamed" }));
    await flushAuditChains(db);
    expect(await verifyChain(db, org!.id)).toMatchObject({ ok: true, checked: 6, head: { seq: 6 } });
  });
});

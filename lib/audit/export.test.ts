import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { orgs, roleMappings } from "@/drizzle/schema";
import { useTestDatabase } from "@/test/db";
import { csvCell } from "./csv";
import { eventChainStatus } from "./event-chain";
import { exportAuditEvents } from "./export";
import * as batches from "./export-batch";
import { CopyLineReader, CsvRowCounter } from "./export-copy";
import { recordAudit } from "./record";
import { flushAuditChains } from "./sequencer";

const getDb = useTestDatabase();

async function seedOrg(slug: string, n: number) {
  const { db } = getDb();
  const [m] = await db.insert(roleMappings).values({ name: `m-${slug}` }).returning();
  const [org] = await db.insert(orgs).values({ slug, name: slug, roleMappingId: m!.id }).returning();
  await db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await recordAudit(tx, {
        orgId: org!.id,
        actor: { type: "user", id: "u1", name: i % 2 ? "=cmd|' /C calc'!A0" : "Ann, \"the admin\"" },
        action: "member.invited",
        target: { type: "user", id: `t${i}`, name: `line\nbreak ${i}` },
        metadata: { i },
      });
    }
  });
  await flushAuditChains(db);
  return org!;
}

async function readAll(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("exportAuditEvents", () => {
  it("streams every matching row once, as CSV with neutralized formulas, and as NDJSON", async () => {
    const org = await seedOrg("export-a", 25);
    const { db } = getDb();
    const csv = await readAll(exportAuditEvents({ orgId: org.id }, "csv", { db, batchSize: 4 }));
    expect(csv.startsWith("occurred_at_utc,org,chain_seq,")).toBe(true);
    expect(csv).toContain(",'=cmd|' /C calc'!A0,");
    expect(csv).not.toMatch(/,=cmd/);
    expect(csv).toContain('"line\nbreak 3"');
    expect(csv).toContain('"Ann, ""the admin"""');
    const nd = (await readAll(exportAuditEvents({ orgId: org.id }, "ndjson", { db, batchSize: 4 }))).trim().split("\n");
    const seqs = nd.map((l) => JSON.parse(l).chainSeq);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });

  it("formats cells in SQL exactly as csvCell does", async () => {
    const { db } = getDb();
    const [m] = await db.insert(roleMappings).values({ name: "m-parity" }).returning();
    const [org] = await db.insert(orgs).values({ slug: "export-parity", name: "p", roleMappingId: m!.id }).returning();
    const tricky = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\r=x", 'a "quoted" word', "a,b", "two\nlines", " lead", "trail ", "plain", "naïve ünïcode", "'already", "vivid v", "v", "\u00a0nbsp"];
    await db.transaction(async (tx) => {
      for (const name of tricky) await recordAudit(tx, { orgId: org!.id, actor: { type: "user", name }, action: "member.invited" });
    });
    const csv = await readAll(exportAuditEvents({ orgId: org!.id }, "csv", { db }));
    for (const name of tricky) expect(csv, JSON.stringify(name)).toContain(`,user,,${csvCell(name)},`);
    // On a server the export is Postgres' own CSV writer (COPY): the same bytes.
    expect(await readAll(exportAuditEvents({ orgId: org!.id }, "csv", { database: getDb() }))).toBe(csv);
  });

  it("reads one batch per pull and stops querying when cancelled", async () => {
    const org = await seedOrg("export-cancel", 30);
    const { db } = getDb();
    const spy = vi.spyOn(batches, "fetchExportBatch");
    let done: [number, boolean] | null = null;
    const stream = exportAuditEvents({ orgId: org.id }, "ndjson", { db, batchSize: 5, onDone: (rows, cancelled) => (done = [rows, cancelled]) });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    const callsBeforeCancel = spy.mock.calls.length;
    // Backpressure: at most one batch read ahead of what the consumer took.
    expect(callsBeforeCancel).toBeLessThanOrEqual(3);
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(spy.mock.calls.length).toBe(callsBeforeCancel);
    expect(done).toEqual([callsBeforeCancel * 5, true]);
    spy.mockRestore();
  });
});

describe("exportAuditEvents on the process database", () => {
  it("streams through COPY on PostgreSQL (keyset batches on PGlite) and frees the database on cancel", async () => {
    const org = await seedOrg("export-copy", 23);
    const database = getDb();
    const all = (await readAll(exportAuditEvents({ orgId: org.id }, "ndjson", { database, batchSize: 5 }))).trim().split("\n");
    expect(all.map((l) => JSON.parse(l).chainSeq)).toEqual(Array.from({ length: 23 }, (_, i) => 23 - i));
    expect(JSON.parse(all[0]!)).toMatchObject({ orgId: org.id, action: "member.invited", actor: { type: "user", id: "u1" } });
    // The same bytes as the keyset path: CSV from COPY equals CSV from batches.
    const viaBatches = await readAll(exportAuditEvents({ orgId: org.id }, "csv", { db: database.db, batchSize: 7 }));
    expect(await readAll(exportAuditEvents({ orgId: org.id }, "csv", { database }))).toBe(viaBatches);

    let done: [number, boolean] | null = null;
    const reader = exportAuditEvents({ orgId: org.id }, "csv", { database, batchSize: 5, onDone: (n, c) => (done = [n, c]) }).getReader();
    await reader.read();
    await reader.cancel();
    expect(done![1]).toBe(true);
    expect(done![0]).toBeGreaterThan(0);
    if (database.kind === "postgres") {
      // The COPY's connection is gone: no export query is left running or idle in a transaction.
      const busy = async () =>
        ((await database.db.execute(
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
              and (query ilike 'copy (%' or state like 'idle in transaction%')`,
        )) as unknown as { rows: { n: number }[] }).rows[0]!.n;
      await expect.poll(busy, { timeout: 5000 }).toBe(0);
    }
    // And the database is free for the next export.
    const rows = new CsvRowCounter();
    rows.push(Buffer.from(await readAll(exportAuditEvents({ orgId: org.id }, "csv", { database }))));
    expect(rows.rows).toBe(24);
  });
});

describe("CopyLineReader", () => {
  it("reads binary COPY tuples split at any byte into lines", () => {
    const lines = ["a,b", "", "é \"x\"\nnext", "=1+2"];
    const parts = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
    for (const line of lines) {
      const bytes = Buffer.from(line, "utf8");
      const head = Buffer.alloc(6);
      head.writeInt16BE(1, 0);
      head.writeInt32BE(bytes.length, 2);
      parts.push(head, bytes);
    }
    parts.push(Buffer.from([0xff, 0xff]));
    const whole = Buffer.concat(parts);
    for (const step of [1, 2, 3, 7, whole.length]) {
      const reader = new CopyLineReader(Buffer.from("\r\n"));
      const out: Buffer[] = [];
      for (let i = 0; i < whole.length; i += step) out.push(reader.push(whole.subarray(i, i + step)));
      expect(Buffer.concat(out).toString("utf8")).toBe(lines.map((l) => `${l}\r\n`).join(""));
      expect(reader).toMatchObject({ rows: 4, ended: true });
    }
  });
});

describe("eventChainStatus", () => {
  it("reports an altered event and the broken link of the next one, at the right place", async () => {
    const org = await seedOrg("chain-status", 5);
    const { db } = getDb();
    expect(await eventChainStatus(org.id, 3, db)).toEqual({ seq: 3, contentIntact: true, linkedToPrevious: true, linkedFromNext: true, newest: false, nextMissing: false });
    expect(await eventChainStatus(org.id, 5, db)).toMatchObject({ linkedFromNext: null, newest: true });
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`update audit_events set actor_name = 'Mallory' where id = (select event_id from audit_chain_links where chain_key = ${org.id} and seq = 3)`);
    await db.execute(sql`delete from audit_events where id = (select event_id from audit_chain_links where chain_key = ${org.id} and seq = 1)`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    expect(await eventChainStatus(org.id, 3, db)).toMatchObject({ contentIntact: false, linkedToPrevious: true });
    expect(await eventChainStatus(org.id, 4, db)).toMatchObject({ contentIntact: true, linkedToPrevious: true });
    expect(await eventChainStatus(org.id, 2, db)).toMatchObject({ contentIntact: true, linkedToPrevious: false });
    expect(await eventChainStatus(org.id, 1, db)).toBeNull();
  });
});

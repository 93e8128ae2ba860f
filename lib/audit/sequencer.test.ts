import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { auditChainLinks, auditEvents, auditUnchained } from "@/drizzle/schema";
import { type Db, queryRows } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
import { asOwner, makeAuditOrg, writeAuditEvents } from "@/test/audit";
import { useTestDatabase } from "@/test/db";
import { recordAudit } from "./record";
import { flushAuditChains, LINK_TX_SETTINGS, linkChain, linkChains, linkChainsBatch, linkReadQuery, startAuditSequencer } from "./sequencer";
import { verifyAllChains, verifyChain } from "./verify";
import { formatVerification } from "./verify-text";

const getDb = useTestDatabase();
const onServer = !!process.env.DATABASE_URL;

/** One acknowledged write: a change and its event in one transaction; returns the marker it carries. */
async function write(db: Db, orgId: string, i: number): Promise<string> {
  const marker = randomUUID();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select 1`); // the change itself stands for any mutation
    await recordAudit(tx, { orgId, actor: { type: "agent", id: `agent-${i % 7}` }, action: "oauth.token_refreshed", metadata: { marker } });
  });
  return marker;
}

/** Exactly one event and exactly one link for each marker, and nothing left queued. */
async function expectOneEventOneLinkEach(db: Db, orgId: string, markers: string[]) {
  const rows = await queryRows<{ marker: string; events: number; links: number }>(
    db,
    sql`select e.metadata->>'marker' as marker, count(*)::int as events, count(l.event_id)::int as links
        from audit_events e left join audit_chain_links l on l.event_id = e.id
        where e.org_id = ${orgId} group by 1`,
  );
  expect(rows.map((r) => r.marker).sort()).toEqual([...markers].sort());
  expect(rows.every((r) => r.events === 1 && r.links === 1)).toBe(true);
  const seqs = (await db.select({ seq: auditChainLinks.seq }).from(auditChainLinks).where(eq(auditChainLinks.chainKey, orgId)).orderBy(auditChainLinks.seq)).map((r) => r.seq);
  expect(seqs).toEqual(markers.map((_, i) => i + 1));
  expect(await db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, orgId))).toEqual([]);
}

const until = async (what: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
};

describe("audit write path: no lock shared by an org's writers", () => {
  it("records the event and its queue row in the writer's transaction, and nothing on rollback", async () => {
    const { db } = getDb();
    const org = await makeAuditOrg(db, "seq-atomic");
    const { id } = await db.transaction((tx) => recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "org.renamed" }));
    expect(await db.select({ id: auditUnchained.eventId }).from(auditUnchained).where(eq(auditUnchained.chainKey, org.id))).toEqual([{ id }]);
    await expect(
      db.transaction(async (tx) => {
        await recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "org.renamed" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    expect(await db.select().from(auditEvents).where(eq(auditEvents.orgId, org.id))).toHaveLength(1);
    expect(await db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, org.id))).toHaveLength(1);
    expect(await flushAuditChains(db)).toBeGreaterThanOrEqual(1);
    expect((await verifyChain(db, org.id)).ok).toBe(true);
  });

  it.skipIf(!onServer)("50 parallel writers in one org all commit while a sequencer run holds the chain, none waits on a lock", async () => {
    const database = getDb();
    const { db } = database;
    const org = await makeAuditOrg(db, "seq-fifty");
    // A sequencer run in progress on another connection: it holds the chain's lock until it commits.
    const runner = new pg.Client({ connectionString: database.url });
    await runner.connect();
    await runner.query("begin");
    await runner.query("select pg_advisory_xact_lock(7243994, hashtext($1))", [org.id]);
    // A watcher: any lock wait among this database's sessions while the writers run.
    const watcher = new pg.Client({ connectionString: database.url });
    await watcher.connect();
    let waits = 0;
    const waitTypes = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        // Relation extension locks (50 inserts growing one table at once) are storage-level and
        // momentary; what must never appear is a wait on a row, a transaction or an advisory lock.
        const r = await watcher.query(
          "select l.locktype from pg_locks l join pg_database d on d.oid = l.database where d.datname = current_database() and not l.granted and l.locktype <> 'extend'",
        );
        waits += r.rows.length;
        for (const row of r.rows as { locktype: string }[]) waitTypes.add(row.locktype);
        await new Promise((res) => setTimeout(res, 2));
      }
    })();
    try {
      const markers = await Promise.all(Array.from({ length: 50 }, (_, i) => write(db, org.id, i)));
      watching = false;
      await watch;
      expect(markers).toHaveLength(50);
      expect(waits, `lock waits: ${[...waitTypes].join(", ")}`).toBe(0);
      // The writers are done; the held run cannot link (another runner has the chain).
      expect(await linkChain(db, org.id)).toEqual({ linked: 0, busy: true });
    } finally {
      watching = false;
      await runner.query("rollback");
      await runner.end();
      await watcher.end();
    }
    await flushAuditChains(db);
    const markers = (await queryRows<{ m: string }>(db, sql`select metadata->>'marker' as m from audit_events where org_id = ${org.id}`)).map((r) => r.m);
    expect(markers).toHaveLength(50);
    await expectOneEventOneLinkEach(db, org.id, markers);
    expect(await verifyChain(db, org.id)).toMatchObject({ ok: true, checked: 50 });
  });

  it("two sequencers (two nodes) racing over writers never double-link or skip", async () => {
    const database = getDb();
    const org = await makeAuditOrg(database.db, "seq-race");
    // A second node: its own pool on the same database (PGlite: the one connection).
    const other = database.url ? openDatabase({ url: database.url, poolMax: 10, logIdleErrors: false }) : database;
    const errors: unknown[] = [];
    const a = startAuditSequencer(database, { sweepMs: 20, onError: (e) => errors.push(e) });
    const b = startAuditSequencer(other, { sweepMs: 20, onError: (e) => errors.push(e) });
    try {
      const markers: string[] = [];
      const racing = (async () => {
        while (markers.length < 200) {
          await Promise.all([flushAuditChains(database.db), flushAuditChains(other.db)]);
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      for (let round = 0; round < 8; round++) {
        const dbs = [database.db, other.db];
        markers.push(...(await Promise.all(Array.from({ length: 25 }, (_, i) => write(dbs[i % 2]!, org.id, i)))));
      }
      await racing;
      expect(await until(async () => (await database.db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, org.id))).length === 0, 5000)).toBe(true);
      await expectOneEventOneLinkEach(database.db, org.id, markers);
      expect(await verifyChain(database.db, org.id)).toMatchObject({ ok: true, checked: 200 });
      expect(errors).toEqual([]);
    } finally {
      await a.stop();
      await b.stop();
      if (other !== database) await other.close();
    }
  });

  it("links right after commit, woken by the commit (no sweep)", async () => {
    const database = getDb();
    const org = await makeAuditOrg(database.db, "seq-wake");
    const seq = startAuditSequencer(database, { sweepMs: 3_600_000 });
    try {
      await flushAuditChains(database.db);
      const t0 = Date.now();
      await write(database.db, org.id, 0);
      expect(await until(async () => (await database.db.select().from(auditChainLinks).where(eq(auditChainLinks.chainKey, org.id))).length === 1, 1000)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      await seq.stop();
    }
  });

  it("under a steady stream of writes, runs once per batch wait, not back to back", async () => {
    const database = getDb();
    const org = await makeAuditOrg(database.db, "seq-batch");
    await flushAuditChains(database.db);
    const seq = startAuditSequencer(database, { sweepMs: 3_600_000, batchWaitMs: 250 });
    const markers: string[] = [];
    try {
      // Five writers for 750 ms, each at most one write per 5 ms (so a run's batch stays well under
      // LINK_BATCH: one transaction per run): wake-ups arrive all the time, also while a run is linking.
      const end = Date.now() + 750;
      await Promise.all(
        Array.from({ length: 5 }, async (_, w) => {
          for (let i = 0; Date.now() < end; i++) {
            markers.push(await write(database.db, org.id, w * 1000 + i));
            await new Promise((r) => setTimeout(r, 5));
          }
        }),
      );
      expect(await until(async () => (await database.db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, org.id))).length === 0, 5000)).toBe(true);
    } finally {
      await seq.stop();
    }
    await expectOneEventOneLinkEach(database.db, org.id, markers);
    // One transaction per run, and a run's links share its transaction's time. Runs 250 ms apart
    // over ~750 ms of writes are a handful; back-to-back runs were dozens.
    const [row] = await queryRows<{ runs: number }>(database.db, sql`select count(distinct linked_at)::int as runs from audit_chain_links where chain_key = ${org.id}`);
    expect(markers.length).toBeGreaterThan(20);
    expect(row!.runs).toBeLessThanOrEqual(6);
  });

  it("a crash between commit and link is healed by the sweep", async () => {
    const database = getDb();
    const org = await makeAuditOrg(database.db, "seq-crash");
    // Committed, queued, never woken: as if the node died right after COMMIT.
    for (let i = 0; i < 5; i++) await write(database.db, org.id, i);
    // A sequencer run that died half way: its links never committed.
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into audit_chain_links (chain_key, seq, event_id, event_occurred_at, prev_hash, hash)
          select chain_key, 1, event_id, occurred_at, repeat('0', 64), repeat('1', 64) from audit_unchained where chain_key = ${org.id} limit 1`);
        throw new Error("node crashed");
      }),
    ).rejects.toThrow("node crashed");
    expect(await database.db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, org.id))).toHaveLength(5);
    const seq = startAuditSequencer(database, { sweepMs: 50 });
    try {
      expect(await until(async () => (await database.db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, org.id))).length === 0, 3000)).toBe(true);
    } finally {
      await seq.stop();
    }
    expect(await verifyChain(database.db, org.id)).toMatchObject({ ok: true, checked: 5 });
  });
});

describe("one sequencer run over several chains", () => {
  const writeIn = (db: Db, orgId: string | null, n: number) =>
    db.transaction(async (tx) => {
      for (let i = 0; i < n; i++) await recordAudit(tx, { orgId, actor: { type: "system" }, action: "org.renamed", metadata: { i } });
    });
  const linkedSeqs = async (db: Db, chainKey: string) =>
    (await db.select({ seq: auditChainLinks.seq }).from(auditChainLinks).where(eq(auditChainLinks.chainKey, chainKey)).orderBy(auditChainLinks.seq)).map((r) => r.seq);

  it("links each chain in its own order and numbering, and says which chains a full batch did not finish", async () => {
    const { db } = getDb();
    const [a, b, c] = [await makeAuditOrg(db, "multi-a"), await makeAuditOrg(db, "multi-b"), await makeAuditOrg(db, "multi-c")];
    await flushAuditChains(db); // whatever earlier tests left queued (the platform chain included)
    await writeIn(db, a.id, 3);
    await writeIn(db, b.id, 4);
    await writeIn(db, c.id, 2);
    await writeIn(db, null, 2);
    const keys = [a.id, b.id, c.id, "platform"];
    // A batch of 5 stops inside one chain: that chain and the chains it never reached may hold more.
    const first = await linkChainsBatch(db, keys, 5);
    expect(first.linked).toBe(5);
    expect(first.busy).toEqual([]);
    expect(first.more.length).toBeGreaterThan(0);
    let total = first.linked;
    for (let more = first.more; more.length; ) {
      const r = await linkChainsBatch(db, more, 5);
      total += r.linked;
      more = r.more;
    }
    expect(total).toBe(11);
    expect(await linkedSeqs(db, a.id)).toEqual([1, 2, 3]);
    expect(await linkedSeqs(db, b.id)).toEqual([1, 2, 3, 4]);
    expect(await linkedSeqs(db, c.id)).toEqual([1, 2]);
    for (const org of [a, b, c]) expect(await verifyChain(db, org.id)).toMatchObject({ ok: true });
    expect((await verifyAllChains(db)).ok).toBe(true);
    // And again on top of the heads the run left.
    await writeIn(db, a.id, 2);
    await writeIn(db, c.id, 1);
    expect(await linkChains(db, keys)).toEqual({ linked: 3, busy: [] });
    expect(await linkedSeqs(db, a.id)).toEqual([1, 2, 3, 4, 5]);
    expect(await verifyChain(db, c.id)).toMatchObject({ ok: true, checked: 3 });
  });

  it("a chain that cannot be linked does not hold up the others in its run, and its error is reported", async () => {
    const { db } = getDb();
    const [good, broken] = [await makeAuditOrg(db, "multi-good"), await makeAuditOrg(db, "multi-broken")];
    await writeIn(db, broken.id, 2);
    await flushAuditChains(db);
    // The broken chain's head is set back by hand: its next link would reuse a sequence number.
    await asOwner(db, sql`update audit_chain_heads set last_seq = 1 where chain_key = ${broken.id}`);
    await writeIn(db, good.id, 2);
    await writeIn(db, broken.id, 1);
    await expect(linkChains(db, [broken.id, good.id])).rejects.toThrow();
    expect(await linkedSeqs(db, good.id)).toEqual([1, 2]);
    expect(await verifyChain(db, good.id)).toMatchObject({ ok: true, checked: 2 });
    expect(await db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, broken.id))).toHaveLength(1);
    // Mended, the chain links its waiting event on the next run.
    await asOwner(db, sql`update audit_chain_heads set last_seq = 2 where chain_key = ${broken.id}`);
    expect(await linkChains(db, [broken.id, good.id])).toEqual({ linked: 1, busy: [] });
    expect(await verifyChain(db, broken.id)).toMatchObject({ ok: true, checked: 3 });
  });

  it.skipIf(!onServer)("a chain another runner holds is reported busy; the run links the rest", async () => {
    const database = getDb();
    const [held, free] = [await makeAuditOrg(database.db, "multi-held"), await makeAuditOrg(database.db, "multi-free")];
    await writeIn(database.db, held.id, 2);
    await writeIn(database.db, free.id, 2);
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query("begin");
      await other.query("select pg_advisory_xact_lock(7243994, hashtext($1))", [held.id]);
      expect(await linkChainsBatch(database.db, [held.id, free.id])).toEqual({ linked: 2, busy: [held.id], more: [] });
      expect(await linkedSeqs(database.db, free.id)).toEqual([1, 2]);
      expect(await linkedSeqs(database.db, held.id)).toEqual([]);
    } finally {
      await other.query("rollback");
      await other.end();
    }
    expect(await flushAuditChains(database.db)).toBeGreaterThanOrEqual(2);
    expect(await verifyChain(database.db, held.id)).toMatchObject({ ok: true, checked: 2 });
  });
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Heap Fetches"?: number;
  "Exact Heap Blocks"?: number;
  Plans?: PlanNode[];
}
const planNodes = (n: PlanNode, out: PlanNode[] = []): PlanNode[] => {
  out.push(n);
  for (const c of n.Plans ?? []) planNodes(c, out);
  return out;
};

describe("the sequencer's queue read", () => {
  // Every linked event leaves a dead queue row until vacuum runs. A bitmap scan of the queue visits
  // each of them on every run (it was 2.5 ms a run under a steady token load, and growing); a plain
  // index scan marks the dead entries it passes, so the next run skips them without touching the heap.
  // And its generic plan, made on the first run, must not join by hashing the whole log (5 ms a run
  // at 20,000 events).
  it("is planned once, when the tables are small, as index scans and nested loops that stay cheap as the tables grow", async () => {
    const database = getDb();
    const { db } = database;
    const org = await makeAuditOrg(db, "seq-dead-rows");
    await flushAuditChains(db);
    const { sql: text, params } = linkReadQuery(db, [org.id], 1000).toSQL();
    const literal = (v: unknown) => (typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
    const args = params.map(literal).join(", ");
    await db.execute(sql`alter table audit_unchained set (autovacuum_enabled = false)`);
    try {
      // One session, as the sequencer's pooled connection: the statement is prepared and its generic plan
      // made while the queue and the log are nearly empty, then kept.
      const runs = await database.withConnection(async (conn) => {
        const explain = async (tx: Db) => {
          const [row] = await queryRows<{ "QUERY PLAN": unknown }>(tx, sql.raw(`explain (analyze, format json) execute link_read_test(${args})`));
          const raw = row!["QUERY PLAN"];
          return planNodes(((typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]!.Plan);
        };
        await conn.transaction(async (tx) => {
          await tx.execute(sql`select ${LINK_TX_SETTINGS}`);
          await tx.execute(sql.raw(`prepare link_read_test as ${text}`));
          await explain(tx);
        });
        // The log grows and thousands of events are linked: each leaves a dead queue row behind.
        await db.transaction(async (tx) => {
          for (let i = 0; i < 3000; i++) await recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "org.renamed" });
        });
        expect(await flushAuditChains(db)).toBeGreaterThanOrEqual(3000);
        await db.transaction((tx) => recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "org.renamed" }));
        try {
          return await conn.transaction(async (tx) => {
            await tx.execute(sql`select ${LINK_TX_SETTINGS}`);
            return [await explain(tx), await explain(tx)];
          });
        } finally {
          await conn.execute(sql`deallocate link_read_test`);
        }
      });
      for (const nodes of runs) {
        // A hash or merge join would read every event of the log, a bitmap or sequential scan every dead queue row.
        expect(nodes.map((n) => n["Node Type"]).filter((t) => /Hash Join|Merge Join|Seq Scan|Bitmap/.test(t))).toEqual([]);
        expect(["Index Scan", "Index Only Scan"]).toContain(nodes.find((n) => n["Relation Name"] === "audit_unchained")!["Node Type"]);
      }
      // An index-only scan says how often it went to the heap: the second run only for the one live row.
      const queue = runs[1]!.find((n) => n["Relation Name"] === "audit_unchained")!;
      if (queue["Node Type"] === "Index Only Scan") expect(queue["Heap Fetches"]).toBeLessThanOrEqual(1);
      expect(await flushAuditChains(db)).toBe(1);
      expect((await verifyChain(db, org.id)).ok).toBe(true);
    } finally {
      await db.execute(sql`alter table audit_unchained reset (autovacuum_enabled)`);
    }
  });
});

describe("verification of the queue", () => {
  it("reports an event unlinked longer than the bound as unchained_overdue, and not before", async () => {
    const { db } = getDb();
    const org = await makeAuditOrg(db, "seq-overdue");
    await writeAuditEvents(db, org.id, 2);
    await db.transaction((tx) => recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "org.renamed" }));
    expect(await verifyChain(db, org.id)).toMatchObject({ ok: true, checked: 2, unchained: 1 });
    await new Promise((r) => setTimeout(r, 30));
    const late = await verifyChain(db, org.id, { maxLagMs: 10 });
    expect(late.ok).toBe(false);
    expect(late.breaks.map((b) => b.reason)).toEqual(["unchained_overdue"]);
    const all = await verifyAllChains(db, { maxLagMs: 10 });
    expect(formatVerification(all)).toMatch(/unchained_overdue .*waited more than/);
    await flushAuditChains(db);
    expect(await verifyChain(db, org.id, { maxLagMs: 10 })).toMatchObject({ ok: true, checked: 3, unchained: 0 });
  });

  it("reports an event whose queue row was deleted before it was linked", async () => {
    const { db } = getDb();
    const org = await makeAuditOrg(db, "seq-dequeued");
    await writeAuditEvents(db, org.id, 2);
    const { id } = await db.transaction((tx) => recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "org.renamed" }));
    await asOwner(db, sql`delete from audit_unchained where event_id = ${id}`);
    await flushAuditChains(db);
    const report = await verifyChain(db, org.id);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "event_unlinked", eventId: id })]);
  });

  it("catches a link whose hash was edited, and an event edited after it was linked", async () => {
    const { db } = getDb();
    const org = await makeAuditOrg(db, "seq-tamper");
    await writeAuditEvents(db, org.id, 4);
    await asOwner(db, sql`update audit_chain_links set hash = repeat('a', 64) where chain_key = ${org.id} and seq = 2`);
    expect((await verifyChain(db, org.id)).breaks.map((b) => [b.reason, b.seq])).toEqual([
      ["content_altered", 2],
      ["link_broken", 3],
    ]);
  });
});

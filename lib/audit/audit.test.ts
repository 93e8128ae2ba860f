import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditChainLinks, auditEvents, auditUnchained, orgs, roleMappings } from "@/drizzle/schema";
import { useTestDatabase } from "@/test/db";
import { recordAudit } from "./record";
import { flushAuditChains } from "./sequencer";
import { verifyAllChains, verifyChain } from "./verify";
import { checkedBatch } from "./verify-batch";

const getDb = useTestDatabase();

async function makeOrg(slug: string) {
  const { db } = getDb();
  const [mapping] = await db.insert(roleMappings).values({ name: `m-${slug}` }).returning();
  const [org] = await db.insert(orgs).values({ slug, name: slug, roleMappingId: mapping!.id }).returning();
  return org!;
}

async function write(orgId: string | null, n: number, action = "member.invited") {
  const { db } = getDb();
  for (let i = 0; i < n; i++) {
    await db.transaction((tx) =>
      recordAudit(tx, { orgId, actor: { type: "user", id: "u1", name: "Ann" }, action, metadata: { i, nested: { b: 1, a: [1, "x"] } } }),
    );
  }
  await flushAuditChains(db);
}

/** A chain's links in sequence order. */
async function linksOf(chainKey: string) {
  const { db } = getDb();
  return db.select().from(auditChainLinks).where(eq(auditChainLinks.chainKey, chainKey)).orderBy(auditChainLinks.seq);
}

describe("audit write path", () => {
  it("chains events per org and verifies clean chains", async () => {
    const a = await makeOrg("chain-a");
    const b = await makeOrg("chain-b");
    await write(a.id, 5);
    await write(b.id, 3);
    await write(null, 2, "platform.setting_changed");
    const { db } = getDb();
    const rows = await linksOf(a.id);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(await db.select().from(auditUnchained)).toEqual([]);
    const { chains, ok } = await verifyAllChains(db);
    expect(ok).toBe(true);
    expect(chains.every((r) => r.ok)).toBe(true);
    // The platform chain starts with the catalogue's install event (every database has one).
    expect(chains.map((r) => r.checked).filter(Boolean).sort()).toEqual([3, 3, 5]);
  });

  it("rolls the event back with the change it describes", async () => {
    const org = await makeOrg("rollback");
    const { db } = getDb();
    await expect(
      db.transaction(async (tx) => {
        await recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "org.renamed" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    const rows = await db.select().from(auditEvents).where(eq(auditEvents.orgId, org.id));
    expect(rows).toHaveLength(0);
    expect(await db.select().from(auditUnchained).where(eq(auditUnchained.chainKey, org.id))).toEqual([]);
    await flushAuditChains(db);
    expect(await linksOf(org.id)).toEqual([]);
    expect((await verifyChain(db, org.id)).ok).toBe(true);
  });

  it("refuses invalid actions before touching the database", async () => {
    const { db } = getDb();
    await expect(
      db.transaction((tx) => recordAudit(tx, { orgId: null, actor: { type: "system" }, action: "NotDotted" })),
    ).rejects.toThrow(/Invalid audit action/);
  });

  it("refuses UPDATE and DELETE on audit events", async () => {
    const org = await makeOrg("guard");
    await write(org.id, 1);
    const { db } = getDb();
    await expect(db.update(auditEvents).set({ action: "member.removed" }).where(eq(auditEvents.orgId, org.id))).rejects.toThrow();
    await expect(db.delete(auditEvents).where(eq(auditEvents.orgId, org.id))).rejects.toThrow();
    const [row] = await db.select().from(auditEvents).where(eq(auditEvents.orgId, org.id));
    expect(row!.action).toBe("member.invited");
    // Links too, and the queue is never updated.
    await expect(db.update(auditChainLinks).set({ hash: "0".repeat(64) }).where(eq(auditChainLinks.chainKey, org.id))).rejects.toThrow();
    await expect(db.delete(auditChainLinks).where(eq(auditChainLinks.chainKey, org.id))).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_chain_links`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_unchained`)).rejects.toThrow();
    expect(await linksOf(org.id)).toHaveLength(1);
  });

  it("detects a tampered row at the right place", async () => {
    const org = await makeOrg("tamper");
    await write(org.id, 6);
    const { db } = getDb();
    // Tampering as the database owner, with the guard disabled.
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`update audit_events set actor_name = 'Mallory' where id = (select event_id from audit_chain_links where chain_key = ${org.id} and seq = 4)`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    const report = await verifyChain(db, org.id);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ seq: 4, lastSeq: 4, reason: "content_altered" });
    expect(report.breaks).toHaveLength(1);
    expect(report.checked).toBe(6);
  });

  it("finds an event moved to another org or chain: altered, not missing, as by its primary key", async () => {
    // Verification reads a batch's events by one range scan over the chain's org; an event moved
    // out of that range behind the app's back must still be found by the key its link names.
    const org = await makeOrg("moved");
    const other = await makeOrg("moved-to");
    await write(org.id, 5);
    await write(null, 1, "platform.setting_changed");
    const { db } = getDb();
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`update audit_events set org_id = ${other.id} where id = (select event_id from audit_chain_links where chain_key = ${org.id} and seq = 2)`);
    await db.execute(sql`update audit_events set org_id = null where id = (select event_id from audit_chain_links where chain_key = ${org.id} and seq = 4)`);
    await db.execute(sql`update audit_events set org_id = ${org.id} where id = (select event_id from audit_chain_links where chain_key = 'platform' order by seq desc limit 1)`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    const report = await verifyChain(db, org.id);
    expect(report.breaks.map((b) => [b.reason, b.seq])).toEqual([
      ["content_altered", 2],
      ["content_altered", 4],
    ]);
    expect(report.checked).toBe(5);
    const platform = await verifyChain(db, null);
    expect(platform.breaks.map((b) => b.reason)).toEqual(["content_altered"]);
    expect((await verifyChain(db, other.id)).ok).toBe(true);
  });

  it("detects a removed row in the middle and at the end", async () => {
    const org = await makeOrg("removed");
    await write(org.id, 5);
    const { db } = getDb();
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`delete from audit_events where id = (select event_id from audit_chain_links where chain_key = ${org.id} and seq = 2)`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    expect((await verifyChain(db, org.id)).firstBreak).toMatchObject({ seq: 2, reason: "rows_missing" });

    const tail = await makeOrg("removed-tail");
    await write(tail.id, 3);
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`delete from audit_events where id = (select event_id from audit_chain_links where chain_key = ${tail.id} and seq = 3)`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    expect((await verifyChain(db, tail.id)).firstBreak).toMatchObject({ seq: 3, reason: "tail_missing" });

    // A link removed from the middle: the same gap.
    const link = await makeOrg("removed-link");
    await write(link.id, 4);
    await db.execute(sql`alter table audit_chain_links disable trigger audit_chain_links_append_only`);
    await db.execute(sql`delete from audit_chain_links where chain_key = ${link.id} and seq = 2`);
    await db.execute(sql`alter table audit_chain_links enable trigger audit_chain_links_append_only`);
    const report = await verifyChain(db, link.id);
    expect(report.breaks.map((b) => b.reason)).toEqual(["rows_missing", "event_unlinked"]);
  });

  it("keeps one unbroken chain under 20 concurrent writers to one org, linked in (time, id) order", async () => {
    const org = await makeOrg("concurrent");
    const { db } = getDb();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (tx) => {
          await recordAudit(tx, { orgId: org.id, actor: { type: "agent", id: randomUUID() }, action: "mcp.tool_called", metadata: { i } });
        }),
      ),
    );
    await flushAuditChains(db);
    const rows = await linksOf(org.id);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(20);
    const report = await verifyChain(db, org.id);
    expect(report).toMatchObject({ ok: true, checked: 20 });
    // Linked together (all committed before the flush): in (time, id) order.
    const keys = rows.map((r) => [r.eventOccurredAt.getTime(), r.eventId] as const);
    expect(keys.every(([t, id], i) => i === 0 || t > keys[i - 1]![0] || (t === keys[i - 1]![0] && id > keys[i - 1]![1]))).toBe(true);
  });
});

describe("verification fast path", () => {
  it("encodes events byte for byte as the hash does (quotes, escapes, unicode, nesting)", async () => {
    const org = await makeOrg("encoding");
    const { db } = getDb();
    const tricky = ['quote " back \\ slash', "tab\tnew\nline\r\u0001\u001f", "ünïcødé ✓ 𝄞 \u2028", "", "=cmd"];
    await db.transaction(async (tx) => {
      for (const s of tricky) {
        await recordAudit(tx, {
          orgId: org.id,
          actor: { type: "agent", id: s, name: s },
          action: "member.role_changed",
          outcome: "denied",
          onBehalfOf: { userId: randomUUID(), name: s },
          clientId: s,
          grantId: s,
          target: { type: s, id: s, name: s },
          context: { ip: "::1", userAgent: s, requestId: s },
          metadata: { [s]: s, b: [1, 2.5, -3, null, true, { z: s, a: { y: 0.1, "": "" } }], a: { [`${s}2`]: 1e-7, n: 123456789012 }, x: 1e21 },
        });
      }
    });
    // And one with every optional field left out (nulls, empty metadata).
    await db.transaction((tx) => recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "member.invited" }));
    await flushAuditChains(db);
    const { rows } = await checkedBatch(db, org.id, 0, false);
    expect(rows.map((r) => r.intact)).toEqual([...tricky.map(() => true), true]);
  });
});

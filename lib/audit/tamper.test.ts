import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { asOwner, makeAuditOrg, writeAuditEvents } from "@/test/audit";
import { useTestDatabase } from "@/test/db";
import { deliverCheckpoints } from "./checkpoint-sinks";
import { type CheckpointContext, checkpointHeads } from "./checkpoint-store";
import { hashEvent } from "./hash";
import { getAuditSigner, signerFromSeed } from "./signing-key";
import { verifyAllChains, verifyChain } from "./verify";
import { canonicalJson } from "./verify-core.mjs";

const getDb = useTestDatabase();

/** A checkpoint sink directory of its own and a checkpoint step that delivers to it at once. */
function sinkDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gh-checkpoints-"));
  const ctx: CheckpointContext = { signer: getAuditSigner(), sinks: ["dir"] };
  const checkpoint = async () => {
    const made = await checkpointHeads(getDb(), ctx);
    await deliverCheckpoints(getDb().db, { dir });
    return made;
  };
  return { dir, checkpoint, verify: (orgId: string) => verifyChain(getDb().db, orgId, { checkpointDir: dir }) };
}

const lines = (dir: string) => readdirSync(dir).flatMap((f) => readFileSync(path.join(dir, f), "utf8").trim().split("\n"));

/** The event id at a chain position, as SQL. */
const at = (orgId: string, seq: number) => sql`(select event_id from audit_chain_links where chain_key = ${orgId} and seq = ${seq})`;

/** Rewrite events from..to of an org with new content and recomputed hashes, and move the head: what a database owner can do. */
async function rewriteChain(orgId: string, from: number, to: number) {
  const { db } = getDb();
  const rows = await db.execute(sql`select e.*, l.seq as chain_seq, l.hash from audit_chain_links l join audit_events e on e.id = l.event_id
    where l.chain_key = ${orgId} and l.seq between ${from - 1} and ${to} order by l.seq`);
  const all = (rows as unknown as { rows: Record<string, unknown>[] }).rows;
  let prev = from === 1 ? "0".repeat(64) : String(all[0]!.hash);
  const statements = [];
  for (const r of all.filter((x) => Number(x.chain_seq) >= from)) {
    const row = {
      id: String(r.id), occurredAt: new Date(r.occurred_at as string), orgId, chainSeq: Number(r.chain_seq), actorType: String(r.actor_type),
      actorId: "mallory", actorName: "Mallory", onBehalfOfUserId: null, onBehalfOfName: null, clientId: null, grantId: null,
      action: String(r.action), targetType: null, targetId: null, targetName: null, outcome: String(r.outcome), ip: null, userAgent: null,
      requestId: null, metadata: r.metadata as Record<string, unknown>,
    };
    const hash = hashEvent(prev, row);
    statements.push(sql`update audit_events set actor_id = 'mallory', actor_name = 'Mallory', target_type = null, target_id = null, target_name = null,
      ip = null, user_agent = null, request_id = null where id = ${row.id}`);
    statements.push(sql`update audit_chain_links set prev_hash = ${prev}, hash = ${hash} where chain_key = ${orgId} and seq = ${row.chainSeq}`);
    prev = hash;
  }
  statements.push(sql`update audit_chain_heads set last_hash = ${prev} where chain_key = ${orgId}`);
  await asOwner(db, ...statements);
}

describe("tamper evidence: what a database owner can do is reported", () => {
  it("a whole chain rewritten with recomputed hashes: every checkpoint disagrees, none holds", async () => {
    const org = await makeAuditOrg(getDb().db, "rewrite-all");
    const sink = sinkDir();
    await writeAuditEvents(getDb().db, org.id, 6);
    await sink.checkpoint();
    expect((await sink.verify(org.id)).ok).toBe(true);
    await rewriteChain(org.id, 1, 6);
    // The rows alone look perfect: only the signed checkpoint tells.
    expect((await verifyChain(getDb().db, org.id, { checkpointDir: null, checkpoints: [] })).ok).toBe(true);
    const report = await sink.verify(org.id);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "checkpoint_mismatch", seq: 1, lastSeq: 6 })]);
    expect(report.lastHolding).toBeNull();
  });

  it("a chain rewritten after a checkpoint: the range starts after the last checkpoint that holds", async () => {
    const org = await makeAuditOrg(getDb().db, "rewrite-tail");
    const sink = sinkDir();
    await writeAuditEvents(getDb().db, org.id, 5);
    await sink.checkpoint();
    await writeAuditEvents(getDb().db, org.id, 5);
    await sink.checkpoint();
    await rewriteChain(org.id, 7, 10);
    const report = await sink.verify(org.id);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "checkpoint_mismatch", seq: 6, lastSeq: 10 })]);
    expect(report.lastHolding).toMatchObject({ n: 1, seq: 5 });
  });

  it("a tail cut off with the head moved back contradicts the signed head", async () => {
    const org = await makeAuditOrg(getDb().db, "truncated");
    const sink = sinkDir();
    await writeAuditEvents(getDb().db, org.id, 3);
    await sink.checkpoint();
    await writeAuditEvents(getDb().db, org.id, 3);
    await sink.checkpoint();
    const { db } = getDb();
    const hash3 = ((await db.execute(sql`select hash from audit_chain_links where chain_key = ${org.id} and seq = 3`)) as unknown as { rows: { hash: string }[] }).rows[0]!.hash;
    await asOwner(
      db,
      sql`delete from audit_events where id in (select event_id from audit_chain_links where chain_key = ${org.id} and seq > 3)`,
      sql`delete from audit_chain_links where chain_key = ${org.id} and seq > 3`,
      sql`update audit_chain_heads set last_seq = 3, last_hash = ${hash3} where chain_key = ${org.id}`,
    );
    const report = await sink.verify(org.id);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "tail_truncated", seq: 4, lastSeq: 6 })]);
    expect(report.lastHolding).toMatchObject({ n: 1, seq: 3 });
  });

  it("a deleted partition shows as the range of events it held", async () => {
    const org = await makeAuditOrg(getDb().db, "dropped-part");
    const sink = sinkDir();
    const { db } = getDb();
    await db.execute(sql`select audit_ensure_partitions(3, 0)`);
    const now = new Date();
    const old = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 10));
    const part = `audit_events_${old.toISOString().slice(0, 7).replace("-", "_")}`;
    await writeAuditEvents(db, org.id, 4, { occurredAt: old });
    await writeAuditEvents(db, org.id, 3);
    await sink.checkpoint();
    // DROP bypasses row triggers; the owner may also write an anchor to hide the start.
    await db.execute(sql`drop table ${sql.identifier(part)}`);
    await db.execute(sql`insert into audit_chain_anchors (chain_key, first_seq, prev_hash) select ${org.id}, 5, prev_hash from audit_chain_links where chain_key = ${org.id} and seq = 5`);
    const report = await sink.verify(org.id);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "rows_missing", seq: 1, lastSeq: 4 })]);
    expect(report.lastHolding).toMatchObject({ n: 1, seq: 7 });
  });

  it("a replaced, forged or removed checkpoint is reported", async () => {
    const org = await makeAuditOrg(getDb().db, "replaced-cp");
    const sink = sinkDir();
    for (let i = 0; i < 3; i++) {
      await writeAuditEvents(getDb().db, org.id, 2);
      await sink.checkpoint();
    }
    expect((await sink.verify(org.id)).ok).toBe(true);
    const file = path.join(sink.dir, readdirSync(sink.dir)[0]!);
    const original = readFileSync(file, "utf8");
    const [first, second, third] = original.trim().split("\n").map((l) => JSON.parse(l));

    // Edited in the file (a different head, the old signature): the signature fails.
    writeFileSync(file, original.replace(JSON.stringify(second.hash), JSON.stringify("f".repeat(64))));
    let report = await sink.verify(org.id);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "checkpoint_invalid", seq: 4 })]);

    // Re-signed with someone else's key: not a key we know.
    const other = signerFromSeed("ab".repeat(32));
    const payload = { ...third, kid: other.kid, sig: undefined };
    const forged = { ...payload, sig: other.sign(canonicalJson(payload)) };
    writeFileSync(file, `${original}${canonicalJson(forged)}\n`);
    report = await sink.verify(org.id);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "checkpoint_invalid", message: expect.stringContaining("unknown_key") })]);

    // Removed from the file and from the database: the checkpoint chain has a hole.
    writeFileSync(file, [first, third].map((c) => canonicalJson(c)).join("\n") + "\n");
    await asOwner(getDb().db, sql`delete from audit_checkpoints where chain_key = ${org.id} and n = 2`);
    report = await sink.verify(org.id);
    expect(report.breaks).toEqual([expect.objectContaining({ reason: "checkpoint_chain_broken", message: expect.stringContaining("#2") })]);
    expect(lines(sink.dir)).toHaveLength(2);
  });

  it("reports every break, not only the first", async () => {
    const org = await makeAuditOrg(getDb().db, "many-breaks");
    const sink = sinkDir();
    await writeAuditEvents(getDb().db, org.id, 10);
    await sink.checkpoint();
    await asOwner(
      getDb().db,
      sql`update audit_events set actor_name = 'Mallory' where id = ${at(org.id, 2)}`,
      sql`delete from audit_events where id in (${at(org.id, 5)}, ${at(org.id, 6)})`,
      sql`update audit_events set action = 'member.removed' where id = ${at(org.id, 9)}`,
    );
    const report = await sink.verify(org.id);
    expect(report.breaks.map((b) => [b.reason, b.seq, b.lastSeq])).toEqual([
      ["content_altered", 2, 2],
      ["rows_missing", 5, 6],
      ["content_altered", 9, 9],
    ]);
    expect(report.checked).toBe(8);
    const all = await verifyAllChains(getDb().db, { checkpointDir: sink.dir });
    expect(all.ok).toBe(false);
  });

  it("refuses TRUNCATE on every audit table and on a single partition", async () => {
    const org = await makeAuditOrg(getDb().db, "no-truncate");
    await writeAuditEvents(getDb().db, org.id, 1);
    await checkpointHeads(getDb(), { signer: getAuditSigner(), sinks: [] });
    const { db } = getDb();
    const part = `audit_events_${new Date().toISOString().slice(0, 7).replace("-", "_")}`;
    for (const table of ["audit_events", part, "audit_events_default", "audit_chain_heads", "audit_chain_anchors", "audit_checkpoints", "audit_chain_links", "audit_unchained"]) {
      await expect(db.execute(sql`truncate ${sql.identifier(table)} cascade`), table).rejects.toThrow();
    }
    const count = (await db.execute(sql`select count(*)::int as n from audit_events where org_id = ${org.id}`)) as unknown as { rows: { n: number }[] };
    expect(count.rows[0]!.n).toBe(1);
    await expect(db.execute(sql`delete from audit_checkpoints`)).rejects.toThrow();
  });
});

import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditCheckpointDeliveries } from "@/drizzle/schema";
import { asOwner, makeAuditOrg, writeAuditEvents } from "@/test/audit";
import { useTestDatabase } from "@/test/db";
import { startAuditCheckpoints } from "./checkpoint-job";
import { deliverCheckpoints } from "./checkpoint-sinks";
import { checkpointHeads } from "./checkpoint-store";
import { eventChainStatus } from "./event-chain";
import { getAuditSigner } from "./signing-key";
import { checkpointId, checkSignature, GENESIS_HASH, parseCheckpoint, publicKeys } from "./verify-core.mjs";

const getDb = useTestDatabase();
const ctx = () => ({ signer: getAuditSigner(), sinks: ["url" as const] });
const tmp = () => mkdtempSync(path.join(os.tmpdir(), "gh-cp-"));

/** An HTTP sink that is down until `up` is set, recording what it received. */
function flakySink() {
  const received: string[] = [];
  const sink = {
    up: false,
    received,
    fetch: (async (_url: string, init?: RequestInit) => {
      if (!sink.up) throw new Error("connect ECONNREFUSED");
      received.push(...String(init?.body).trim().split("\n"));
      return new Response(null, { status: 204 });
    }) as typeof fetch,
  };
  return sink;
}

describe("signed checkpoints", () => {
  it("sign each moved head, chain per org, skip unchanged heads", async () => {
    const a = await makeAuditOrg(getDb().db, "cp-a");
    await writeAuditEvents(getDb().db, a.id, 3);
    const first = await checkpointHeads(getDb(), ctx());
    const cpA = first.find((c) => c.chain === a.id)!;
    expect(cpA).toMatchObject({ v: 1, kind: "head", n: 1, seq: 3, prev: GENESIS_HASH, kid: getAuditSigner().kid });
    expect(checkSignature(cpA, publicKeys([getAuditSigner().publicKey]))).toBe("ok");
    expect((await checkpointHeads(getDb(), ctx())).find((c) => c.chain === a.id)).toBeUndefined();
    await writeAuditEvents(getDb().db, a.id, 1);
    const [next] = (await checkpointHeads(getDb(), ctx())).filter((c) => c.chain === a.id);
    expect(next).toMatchObject({ n: 2, seq: 4, prev: checkpointId(cpA) });
  });

  it("a sink that is down: checkpoints queue and all arrive later, in order", async () => {
    const org = await makeAuditOrg(getDb().db, "cp-down");
    const sink = flakySink();
    // What the test before left queued (its org's checkpoints and the platform chain's).
    const earlier = (await getDb().db.select().from(auditCheckpointDeliveries)).length;
    const made = [];
    for (let i = 0; i < 3; i++) {
      await writeAuditEvents(getDb().db, org.id, 1);
      made.push(...(await checkpointHeads(getDb(), ctx())));
      expect(await deliverCheckpoints(getDb().db, { url: "http://sink.test/cp", fetch: sink.fetch })).toMatchObject({ delivered: 0 });
    }
    const queued = await getDb().db.select().from(auditCheckpointDeliveries);
    expect(queued.length).toBe(made.length + earlier);
    expect(queued.every((q) => q.attempts >= 1 && q.lastError?.includes("ECONNREFUSED"))).toBe(true);
    // Back up; the backoff has passed.
    sink.up = true;
    await getDb().db.update(auditCheckpointDeliveries).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(sql`true`);
    expect(await deliverCheckpoints(getDb().db, { url: "http://sink.test/cp", fetch: sink.fetch })).toEqual({ delivered: made.length + earlier, failed: 0 });
    const mine = sink.received.map((l) => parseCheckpoint(l)!).filter((c) => c.chain === org.id);
    expect(mine.map((c) => c.n)).toEqual([1, 2, 3]);
    expect(await getDb().db.select().from(auditCheckpointDeliveries)).toHaveLength(0);
  });

  it("write one append-only file per day, and a last checkpoint when stopped", async () => {
    const org = await makeAuditOrg(getDb().db, "cp-job");
    const dir = tmp();
    const stop = startAuditCheckpoints(getDb(), { intervalMinutes: 60, dir, context: { signer: getAuditSigner(), sinks: ["dir"] } });
    await writeAuditEvents(getDb().db, org.id, 2);
    await stop(); // shutdown
    const files = readdirSync(dir);
    expect(files).toEqual([`audit-checkpoints-${new Date().toISOString().slice(0, 10)}.jsonl`]);
    const lines = readFileSync(path.join(dir, files[0]!), "utf8").trim().split("\n").map((l) => parseCheckpoint(l)!);
    expect(lines.filter((c) => c.chain === org.id).at(-1)).toMatchObject({ seq: 2 });
  });
});

describe("event chain status", () => {
  it("calls an event newest only when it is the head", async () => {
    const org = await makeAuditOrg(getDb().db, "cs-head");
    await writeAuditEvents(getDb().db, org.id, 4);
    expect(await eventChainStatus(org.id, 4)).toMatchObject({ newest: true, linkedFromNext: null, nextMissing: false });
    expect(await eventChainStatus(org.id, 2)).toMatchObject({ newest: false, linkedFromNext: true });
    await asOwner(getDb().db, sql`delete from audit_events where id = (select event_id from audit_chain_links where chain_key = ${org.id} and seq = 3)`);
    expect(await eventChainStatus(org.id, 2)).toMatchObject({ newest: false, linkedFromNext: false, nextMissing: true });
    expect(await eventChainStatus(org.id, 4)).toMatchObject({ linkedToPrevious: false, newest: true });
  });
});

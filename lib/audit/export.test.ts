import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { orgs, roleMappings } from "@/drizzle/schema";
import { useTestDatabase } from "@/test/db";
import { eventChainStatus } from "./event-chain";
import { exportAuditEvents } from "./export";
import * as query from "./query";
import { recordAudit } from "./record";

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
    expect(csv.startsWith("occurred_at,org,chain_seq,")).toBe(true);
    expect(csv).toContain(",'=cmd|' /C calc'!A0,");
    expect(csv).not.toMatch(/,=cmd/);
    expect(csv).toContain('"line\nbreak 3"');
    expect(csv).toContain('"Ann, ""the admin"""');
    const nd = (await readAll(exportAuditEvents({ orgId: org.id }, "ndjson", { db, batchSize: 4 }))).trim().split("\n");
    const seqs = nd.map((l) => JSON.parse(l).chainSeq);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });

  it("reads one batch per pull and stops querying when cancelled", async () => {
    const org = await seedOrg("export-cancel", 30);
    const { db } = getDb();
    const spy = vi.spyOn(query, "searchAuditEvents");
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

describe("eventChainStatus", () => {
  it("reports an altered event and the broken link of the next one, at the right place", async () => {
    const org = await seedOrg("chain-status", 5);
    const { db } = getDb();
    expect(await eventChainStatus(org.id, 3, db)).toEqual({ seq: 3, contentIntact: true, linkedToPrevious: true, linkedFromNext: true });
    expect(await eventChainStatus(org.id, 5, db)).toMatchObject({ linkedFromNext: null });
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`update audit_events set actor_name = 'Mallory' where org_id = ${org.id} and chain_seq = 3`);
    await db.execute(sql`delete from audit_events where org_id = ${org.id} and chain_seq = 1`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    expect(await eventChainStatus(org.id, 3, db)).toMatchObject({ contentIntact: false, linkedToPrevious: true });
    expect(await eventChainStatus(org.id, 4, db)).toMatchObject({ contentIntact: true, linkedToPrevious: true });
    expect(await eventChainStatus(org.id, 2, db)).toMatchObject({ contentIntact: true, linkedToPrevious: false });
    expect(await eventChainStatus(org.id, 1, db)).toBeNull();
  });
});

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, orgs, roleMappings } from "@/drizzle/schema";
import { useTestDatabase } from "@/test/db";
import { runAuditMaintenance } from "./maintenance";
import { recordAudit } from "./record";
import { verifyAllChains, verifyChain } from "./verify";

const getDb = useTestDatabase();

/** The middle of the month `monthsAgo` months before now (UTC). */
function monthsAgo(n: number, now = new Date()) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 15, 12));
}
const partName = (d: Date) => `audit_events_${d.toISOString().slice(0, 7).replace("-", "_")}`;

async function exists(name: string) {
  const r = (await getDb().db.execute(sql`select to_regclass(${name}) as t`)) as unknown as { rows: { t: string | null }[] };
  return r.rows[0]!.t !== null;
}

describe("audit maintenance", () => {
  it("creates months ahead and drops whole old months per org retention, legal hold and chain order", async () => {
    const database = getDb();
    const { db } = database;
    await db.execute(sql`select audit_ensure_partitions(30, 0)`);
    const [m] = await db.insert(roleMappings).values({ name: "m-ret" }).returning();
    const mk = async (slug: string, days: number, hold: boolean) =>
      (await db.insert(orgs).values({ slug, name: slug, roleMappingId: m!.id, auditRetentionDays: days, legalHold: hold }).returning())[0]!;
    const a = await mk("ret-a", 365, false);
    const b = await mk("ret-b", 30, true);
    const c = await mk("ret-c", 1000, false);
    const plan: [number, string[]][] = [
      [20, [a.id, a.id]],
      [19, [a.id, b.id]],
      [18, [a.id, c.id]],
      [14, [a.id]],
      [6, [a.id, c.id]],
    ];
    for (const [ago, ids] of plan) {
      await db.transaction(async (tx) => {
        for (const orgId of ids) await recordAudit(tx, { orgId, actor: { type: "system" }, action: "member.invited", occurredAt: monthsAgo(ago) });
      });
    }
    const count = async (orgId: string) => (await db.select().from(auditEvents).where(eq(auditEvents.orgId, orgId))).length;
    expect(await count(a.id)).toBe(6);

    // B's legal hold keeps its month, and everything after it.
    const first = await runAuditMaintenance(database, { platformRetentionDays: 365 });
    expect(first!.decisions.filter((d) => d.dropped).map((d) => d.partition)).toEqual(
      first!.decisions.filter((d) => d.from < monthsAgo(19).toISOString().slice(0, 7)).map((d) => d.partition),
    );
    expect(first!.decisions.at(-1)).toMatchObject({ partition: partName(monthsAgo(19)), dropped: false, keptBecause: "ret-b is on legal hold" });
    expect(await exists(partName(monthsAgo(20)))).toBe(false);
    expect(await exists(partName(monthsAgo(19)))).toBe(true);
    expect(await count(a.id)).toBe(4);
    expect(await count(b.id)).toBe(1);
    // Chains that lost their oldest events still verify, from their anchor.
    for (const r of (await verifyAllChains(db)).chains) expect(r, r.chainKey).toMatchObject({ ok: true });
    const dropped = await db.select().from(auditEvents).where(eq(auditEvents.action, "audit.partition_dropped"));
    expect(dropped.length).toBeGreaterThanOrEqual(1);

    // Hold lifted: B's 30 days are long past; C keeps its month for 1000 days, and so the ones after.
    await db.update(orgs).set({ legalHold: false }).where(eq(orgs.id, b.id));
    const second = await runAuditMaintenance(database, { platformRetentionDays: 365 });
    expect(second!.decisions.map((d) => [d.partition, d.dropped])).toEqual([
      [partName(monthsAgo(19)), true],
      [partName(monthsAgo(18)), false],
    ]);
    expect(second!.decisions[1]!.keptBecause).toBe("ret-c keeps events for 1000 days");
    expect(await count(b.id)).toBe(0);
    expect(await count(a.id)).toBe(3);
    expect((await verifyChain(db, a.id)).ok).toBe(true);
    expect((await verifyChain(db, c.id)).ok).toBe(true);

    // Partitions exist for this month and the next three.
    for (let ahead = 0; ahead <= 3; ahead++) expect(await exists(partName(monthsAgo(-ahead)))).toBe(true);
    // Deleting a row is still refused: retention never needed it.
    await expect(db.delete(auditEvents).where(eq(auditEvents.orgId, a.id))).rejects.toThrow();
  });
});

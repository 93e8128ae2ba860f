import { sql } from "drizzle-orm";
import { orgs, roleMappings } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { flushAuditChains } from "@/lib/audit/sequencer";
import type { Db } from "@/lib/db";

/** A bare org to write audit events into. */
export async function makeAuditOrg(db: Db, slug: string) {
  const [mapping] = await db.insert(roleMappings).values({ name: `m-${slug}` }).returning();
  const [org] = await db.insert(orgs).values({ slug, name: slug, roleMappingId: mapping!.id }).returning();
  return org!;
}

/** Write `n` events to an org's chain, one transaction each, and link them. */
export async function writeAuditEvents(db: Db, orgId: string | null, n: number, opts: { action?: string; occurredAt?: Date } = {}) {
  for (let i = 0; i < n; i++) {
    await db.transaction((tx) =>
      recordAudit(tx, {
        orgId,
        actor: { type: "user", id: "u1", name: "Ann" },
        action: opts.action ?? "member.invited",
        metadata: { i, nested: { b: 1, a: [1, "x"] } },
        occurredAt: opts.occurredAt ? new Date(opts.occurredAt.getTime() + i) : undefined,
      }),
    );
  }
  await flushAuditChains(db);
}

/** Run statements as a database owner who switched every trigger off (the attacker of the tests). */
export async function asOwner(db: Db, ...statements: ReturnType<typeof sql>[]) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const s of statements) await tx.execute(s);
  });
}

import "server-only";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { auditChainAnchors, auditChainHeads, auditEvents } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";
import { GENESIS_HASH, hashEvent } from "./hash";
import { PLATFORM_CHAIN } from "./record";

export interface ChainBreak {
  /** The sequence number where the chain first goes wrong. */
  seq: number;
  /** The event at that place, when there is one. */
  eventId: string | null;
  reason: "content_altered" | "link_broken" | "rows_missing" | "tail_missing";
  message: string;
}

export interface ChainReport {
  chainKey: string;
  checked: number;
  ok: boolean;
  firstBreak: ChainBreak | null;
}

const BATCH = 2000;

/** Walk one org's chain (null: the platform chain) in order, from genesis or its retention anchor, and report the first broken link. */
export async function verifyChain(db: Executor, orgId: string | null): Promise<ChainReport> {
  const chainKey = orgId ?? PLATFORM_CHAIN;
  const orgFilter = orgId ? eq(auditEvents.orgId, orgId) : isNull(auditEvents.orgId);
  // After retention dropped old partitions, the chain starts at its anchor instead of genesis.
  const [anchor] = await db.select().from(auditChainAnchors).where(eq(auditChainAnchors.chainKey, chainKey));
  let prevHash = anchor?.prevHash ?? GENESIS_HASH;
  let expectedSeq = anchor ? Number(anchor.firstSeq) : 1;
  let checked = 0;
  const report = (firstBreak: ChainBreak | null): ChainReport => ({ chainKey, checked, ok: !firstBreak, firstBreak });

  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(orgFilter, gt(auditEvents.chainSeq, expectedSeq - 1)))
      .orderBy(asc(auditEvents.chainSeq))
      .limit(BATCH);
    for (const row of rows) {
      const seq = Number(row.chainSeq);
      if (seq !== expectedSeq) {
        return report({
          seq: expectedSeq,
          eventId: null,
          reason: "rows_missing",
          message: `Events ${expectedSeq}${seq - 1 > expectedSeq ? `–${seq - 1}` : ""} are missing (next present: ${seq}).`,
        });
      }
      if (row.prevHash !== prevHash) {
        return report({ seq, eventId: row.id, reason: "link_broken", message: `Event ${seq} does not link to event ${seq - 1}.` });
      }
      if (hashEvent(prevHash, row) !== row.hash) {
        return report({ seq, eventId: row.id, reason: "content_altered", message: `Event ${seq} was altered after it was written.` });
      }
      prevHash = row.hash;
      expectedSeq = seq + 1;
      checked++;
    }
    if (rows.length < BATCH) break;
  }

  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.chainKey, chainKey));
  if (head && (Number(head.lastSeq) !== expectedSeq - 1 || head.lastHash !== prevHash)) {
    return report({
      seq: expectedSeq,
      eventId: null,
      reason: "tail_missing",
      message: `The chain ends at event ${expectedSeq - 1}, but ${head.lastSeq} were written.`,
    });
  }
  return report(null);
}

/** Verify every chain that has a head. */
export async function verifyAllChains(db: Executor): Promise<ChainReport[]> {
  const heads = await db.select({ chainKey: auditChainHeads.chainKey }).from(auditChainHeads).orderBy(auditChainHeads.chainKey);
  const reports: ChainReport[] = [];
  for (const { chainKey } of heads) {
    reports.push(await verifyChain(db, chainKey === PLATFORM_CHAIN ? null : chainKey));
  }
  return reports;
}

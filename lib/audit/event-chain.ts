import "server-only";
import { and, asc, between, eq } from "drizzle-orm";
import { auditChainAnchors, auditEvents } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { GENESIS_HASH, hashEvent } from "./hash";

export interface EventChainStatus {
  seq: number;
  /** The stored hash matches the event's content and its previous hash. */
  contentIntact: boolean;
  /** The previous event exists and links (or this is the first event). */
  linkedToPrevious: boolean;
  /** The next event links back to this one; null when this is the newest event. */
  linkedFromNext: boolean | null;
}

/** Check one event's place in its org's chain: its own hash and its links both ways. */
export async function eventChainStatus(orgId: string, seq: number, db: Executor = getDb()): Promise<EventChainStatus | null> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), between(auditEvents.chainSeq, Math.max(seq - 1, 0), seq + 1)))
    .orderBy(asc(auditEvents.chainSeq));
  const self = rows.find((r) => Number(r.chainSeq) === seq);
  if (!self) return null;
  const prev = rows.find((r) => Number(r.chainSeq) === seq - 1);
  const next = rows.find((r) => Number(r.chainSeq) === seq + 1);
  const [anchor] = prev ? [] : await db.select().from(auditChainAnchors).where(eq(auditChainAnchors.chainKey, orgId));
  const anchored = anchor && Number(anchor.firstSeq) === seq ? anchor.prevHash === self.prevHash : null;
  return {
    seq,
    contentIntact: hashEvent(self.prevHash, self) === self.hash,
    linkedToPrevious: anchored ?? (seq === 1 ? self.prevHash === GENESIS_HASH : !!prev && prev.hash === self.prevHash),
    linkedFromNext: next ? next.prevHash === self.hash : null,
  };
}

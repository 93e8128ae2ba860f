import "server-only";
import { and, asc, between, eq } from "drizzle-orm";
import { auditChainAnchors, auditChainHeads, auditChainLinks, auditEvents } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { GENESIS_HASH, hashEvent } from "./hash";

export interface EventChainStatus {
  seq: number;
  /** The stored hash matches the event's content and its previous hash. */
  contentIntact: boolean;
  /** The previous event exists and links (or this is the first event). */
  linkedToPrevious: boolean;
  /** The next event links back to this one; null only when this event is the chain's head. */
  linkedFromNext: boolean | null;
  /** This event is the chain's recorded head (its newest event). */
  newest: boolean;
  /** The chain goes on after this event, but the next event is not there. */
  nextMissing: boolean;
}

/** Check one event's place in its org's chain: its own hash, its links both ways, and the head. */
export async function eventChainStatus(orgId: string, seq: number, db: Executor = getDb()): Promise<EventChainStatus | null> {
  const links = await db
    .select()
    .from(auditChainLinks)
    .where(and(eq(auditChainLinks.chainKey, orgId), between(auditChainLinks.seq, Math.max(seq - 1, 0), seq + 1)))
    .orderBy(asc(auditChainLinks.seq));
  const self = links.find((r) => Number(r.seq) === seq);
  if (!self) return null;
  const prev = links.find((r) => Number(r.seq) === seq - 1);
  const next = links.find((r) => Number(r.seq) === seq + 1);
  const [[event], [head], [anchor]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.occurredAt, self.eventOccurredAt), eq(auditEvents.id, self.eventId), eq(auditEvents.orgId, orgId))),
    db.select({ lastSeq: auditChainHeads.lastSeq, lastHash: auditChainHeads.lastHash }).from(auditChainHeads).where(eq(auditChainHeads.chainKey, orgId)),
    prev ? [] : db.select().from(auditChainAnchors).where(eq(auditChainAnchors.chainKey, orgId)),
  ]);
  const anchored = anchor && Number(anchor.firstSeq) === seq ? anchor.prevHash === self.prevHash : null;
  // Newest only when the head says so: the event before a deleted one is not the newest.
  const newest = !!head && Number(head.lastSeq) === seq && head.lastHash === self.hash;
  return {
    seq,
    contentIntact: !!event && hashEvent(self.prevHash, { ...event, chainSeq: seq }) === self.hash,
    linkedToPrevious: anchored ?? (seq === 1 ? self.prevHash === GENESIS_HASH : !!prev && prev.hash === self.prevHash),
    linkedFromNext: next ? next.prevHash === self.hash : newest ? null : false,
    newest,
    nextMissing: !next && !newest,
  };
}

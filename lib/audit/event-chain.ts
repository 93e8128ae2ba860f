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
  // The links around the event, with their events: a link whose event row is gone counts as missing.
  const rows = await db
    .select({ link: auditChainLinks, event: auditEvents })
    .from(auditChainLinks)
    .innerJoin(auditEvents, and(eq(auditEvents.occurredAt, auditChainLinks.eventOccurredAt), eq(auditEvents.id, auditChainLinks.eventId)))
    .where(and(eq(auditChainLinks.chainKey, orgId), between(auditChainLinks.seq, Math.max(seq - 1, 0), seq + 1)))
    .orderBy(asc(auditChainLinks.seq));
  const find = (n: number) => rows.find((r) => Number(r.link.seq) === n && r.event.orgId === orgId);
  const self = find(seq);
  if (!self) return null;
  const prev = find(seq - 1)?.link;
  const next = find(seq + 1)?.link;
  const [[head], [anchor]] = await Promise.all([
    db.select({ lastSeq: auditChainHeads.lastSeq, lastHash: auditChainHeads.lastHash }).from(auditChainHeads).where(eq(auditChainHeads.chainKey, orgId)),
    prev ? [] : db.select().from(auditChainAnchors).where(eq(auditChainAnchors.chainKey, orgId)),
  ]);
  const link = self.link;
  const anchored = anchor && Number(anchor.firstSeq) === seq ? anchor.prevHash === link.prevHash : null;
  // Newest only when the head says so: the event before a deleted one is not the newest.
  const newest = !!head && Number(head.lastSeq) === seq && head.lastHash === link.hash;
  return {
    seq,
    contentIntact: hashEvent(link.prevHash, { ...self.event, chainSeq: seq }) === link.hash,
    linkedToPrevious: anchored ?? (seq === 1 ? link.prevHash === GENESIS_HASH : !!prev && prev.hash === link.prevHash),
    linkedFromNext: next ? next.prevHash === link.hash : newest ? null : false,
    newest,
    nextMissing: !next && !newest,
  };
}

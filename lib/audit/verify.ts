import "server-only";
import { eq, sql } from "drizzle-orm";
import { auditChainHeads, orgs } from "@/drizzle/schema";
import { type Executor, queryRows } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { loadCheckpoints } from "./checkpoint-load";
import { PLATFORM_CHAIN } from "./record";
import { getAuditSigner } from "./signing-key";
import { checkedBatch } from "./verify-batch";
import { type ChainBreak, type ChainVerdict, finishChain, publicKeys, type SignedCheckpoint, sortBreaks, startChain } from "./verify-core.mjs";

export type { ChainBreak } from "./verify-core.mjs";

export interface ChainReport extends ChainVerdict {
  head: { seq: number; hash: string } | null;
  /** Events written but not linked yet (within the lag bound they are not a break). */
  unchained: number;
}

export interface VerifyOptions {
  /** Sink directory to read checkpoints from, besides the database; null: the database only. */
  checkpointDir?: string | null;
  /** Extra public keys (base64url) that checkpoints may be signed with, e.g. before a rotation. */
  publicKeys?: string[];
  /** Checkpoints already loaded (verifyAllChains loads them once). */
  checkpoints?: SignedCheckpoint[];
  /** An event unlinked for longer than this is a break (default AUDIT_CHAIN_MAX_LAG_MS). */
  maxLagMs?: number;
  /** The queue's state for every chain, already read (verifyAllChains reads it once). */
  queue?: QueueState;
}

interface QueueStat {
  n: number;
  overdue: number;
  oldest_id: string | null;
  oldest_at: string | null;
}

/** Events in no chain and not queued, and the queue's size and overdue count, per chain. */
export interface QueueState {
  unlinked: Map<string, { id: string; at: string }[]>;
  queued: Map<string, QueueStat>;
}

const queueStats = (maxLagMs: number) => sql`count(*)::int as n,
  count(*) filter (where queued_at < now() - make_interval(secs => ${maxLagMs / 1000}))::int as overdue,
  (array_agg(event_id::text order by queued_at, event_id))[1] as oldest_id,
  min(queued_at)::text as oldest_at`;

/** Read the queue's state for one chain (orgId given) or for all of them. */
async function readQueueState(db: Executor, maxLagMs: number, one?: { orgId: string | null; chainKey: string }): Promise<QueueState> {
  const orgCond = one ? (one.orgId ? sql`e.org_id = ${one.orgId}` : sql`e.org_id is null`) : sql`true`;
  const [unlinked, queued] = await Promise.all([
    queryRows<{ chain_key: string; id: string; at: string }>(
      db,
      sql`select coalesce(e.org_id::text, ${PLATFORM_CHAIN}) as chain_key, e.id, e.occurred_at::text as at from audit_events e
          where ${orgCond}
            and not exists (select 1 from audit_chain_links l where l.event_id = e.id)
            and not exists (select 1 from audit_unchained q where q.event_id = e.id)
          order by e.occurred_at, e.id limit 1000`,
    ),
    queryRows<QueueStat & { chain_key: string }>(
      db,
      sql`select chain_key, ${queueStats(maxLagMs)} from audit_unchained ${one ? sql`where chain_key = ${one.chainKey}` : sql``} group by chain_key`,
    ),
  ]);
  const state: QueueState = { unlinked: new Map(), queued: new Map(queued.map((q) => [q.chain_key, q])) };
  for (const u of unlinked) state.unlinked.set(u.chain_key, [...(state.unlinked.get(u.chain_key) ?? []), { id: u.id, at: u.at }]);
  return state;
}

function keys(opts: VerifyOptions) {
  return publicKeys([getAuditSigner().publicKey, ...(opts.publicKeys ?? [])]);
}

/**
 * Verify one chain (null: the platform chain): every event against its hash and links, from genesis
 * or the latest signed retention checkpoint, and the chain against its signed checkpoints and head.
 * Reports every break, not only the first.
 */
export async function verifyChain(db: Executor, orgId: string | null, opts: VerifyOptions = {}): Promise<ChainReport> {
  const chainKey = orgId ?? PLATFORM_CHAIN;
  const checkpoints = opts.checkpoints ?? (await loadCheckpoints(db, opts.checkpointDir ?? null, chainKey)).byChain.get(chainKey) ?? [];
  const chain = startChain(chainKey, checkpoints, keys(opts));
  // Read the next batch while this one is hashed: the database and the hashing overlap.
  let next = checkedBatch(db, chainKey, chain.start.seq);
  for (;;) {
    const batch = await next;
    if (batch.full) next = checkedBatch(db, chainKey, batch.lastSeq!);
    for (const row of batch.rows) chain.walker.push(row, row.intact);
    if (!batch.full) break;
  }
  const [headRow] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.chainKey, chainKey));
  const head = headRow ? { seq: Number(headRow.lastSeq), hash: headRow.lastHash } : null;
  const verdict = finishChain(chainKey, chain, head);
  const maxLagMs = opts.maxLagMs ?? getEnv().AUDIT_CHAIN_MAX_LAG_MS;
  const queue = opts.queue ?? (await readQueueState(db, maxLagMs, { orgId, chainKey }));
  const { breaks, unchained } = queueBreaks(queue, chainKey, head?.seq ?? 0, maxLagMs);
  if (!breaks.length) return { ...verdict, head, unchained };
  const all = sortBreaks([...verdict.breaks, ...breaks]);
  return { ...verdict, ok: false, breaks: all, firstBreak: all[0] ?? null, head, unchained };
}

const brk = (reason: ChainBreak["reason"], seq: number, message: string, eventId: string | null = null): ChainBreak => ({ reason, seq, lastSeq: seq, eventId, message });

/**
 * What the link walk cannot see: events of the chain with neither a link nor a queue row (a queue
 * row deleted behind the sequencer's back), and queued events older than the lag bound.
 */
function queueBreaks(queue: QueueState, chainKey: string, headSeq: number, maxLagMs: number) {
  const breaks: ChainBreak[] = [];
  for (const u of queue.unlinked.get(chainKey) ?? []) {
    breaks.push(brk("event_unlinked", headSeq + 1, `Event ${u.id} (${u.at}) is in no chain and not queued: its queue row was deleted before it was linked.`, u.id));
  }
  const q = queue.queued.get(chainKey);
  if (q && q.overdue > 0) {
    breaks.push(
      brk(
        "unchained_overdue",
        headSeq + 1,
        `${q.overdue} event${q.overdue === 1 ? " has" : "s have"} waited more than ${Math.round(maxLagMs / 1000)} s to be linked (oldest ${q.oldest_id}, queued ${q.oldest_at}): no sequencer is running, or it fails.`,
        q.oldest_id,
      ),
    );
  }
  return { breaks, unchained: Number(q?.n ?? 0) };
}

const CHAIN_CONCURRENCY = 4;

export interface AuditVerification {
  chains: ChainReport[];
  /** Lines of the checkpoint files that are not checkpoints (`file:line`): a file was tampered with. */
  unreadable: string[];
  ok: boolean;
}

/** Verify every org's chain and the platform chain, and any chain known only from a head or a checkpoint. */
export async function verifyAllChains(db: Executor, opts: VerifyOptions = {}): Promise<AuditVerification> {
  const loaded = await loadCheckpoints(db, opts.checkpointDir ?? null);
  // The queue and the unlinked events of every chain in two queries, not two per chain.
  const queue = opts.queue ?? (await readQueueState(db, opts.maxLagMs ?? getEnv().AUDIT_CHAIN_MAX_LAG_MS));
  const heads = await db.select({ chainKey: auditChainHeads.chainKey }).from(auditChainHeads);
  const orgIds = await db.select({ id: orgs.id }).from(orgs);
  const chainKeys = [
    ...new Set([...heads.map((h) => h.chainKey), ...loaded.byChain.keys(), ...orgIds.map((o) => o.id), ...queue.queued.keys(), ...queue.unlinked.keys()]),
  ].sort();
  // Four chains at a time, so the database always has a batch to read while Node hashes another
  // (two left Node idle ~40 % of the time); each chain has at most two statements in flight.
  const chains: ChainReport[] = new Array(chainKeys.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < chainKeys.length; i = next++) {
      const chainKey = chainKeys[i]!;
      const checkpoints = loaded.byChain.get(chainKey) ?? [];
      chains[i] = await verifyChain(db, chainKey === PLATFORM_CHAIN ? null : chainKey, { ...opts, checkpoints, queue });
    }
  };
  await Promise.all(Array.from({ length: CHAIN_CONCURRENCY }, worker));
  return { chains, unreadable: loaded.unreadable, ok: loaded.unreadable.length === 0 && chains.every((c) => c.ok) };
}

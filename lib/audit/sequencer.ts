import "server-only";
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { auditEvents, auditUnchained } from "@/drizzle/schema";
import { type Database, type Db, preparedRows, queryRows } from "@/lib/db";
import { clearSequencerWakeHandler, setSequencerWakeHandler } from "./sequencer-wake";
import { GENESIS_HASH, hashEvent } from "./verify-core.mjs";

/** Events linked per transaction at most (one multi-row insert). */
export const LINK_BATCH = 1000;
/** First key of the per-chain advisory lock (the second is the chain key's hash). */
const SEQUENCER_LOCK = 7_243_994;
/** How many chains one process links at once. */
const PARALLEL_CHAINS = 4;
/** After another runner held a chain: try again this soon (its run may have missed our events). */
const BUSY_RETRY_MS = 20;

export interface LinkBatchResult {
  /** Events linked by this call. */
  linked: number;
  /** Another runner (this node or another) holds the chain: nothing was done. */
  busy: boolean;
  /** A full batch was linked: more may be queued. */
  more: boolean;
}

/**
 * The sequencer transaction's settings, set by its first statement (exported for the plan test).
 * - Committed without waiting for the WAL flush: the run is one atomic transaction, so a crash can
 *   only lose it whole (the queue rows come back and the next run links them again), and anything
 *   that relies on the links — a checkpoint — commits durably after it, which flushes it too.
 * - Kept generic plans: planning the read anew would cost more than running it (it joins the queue to
 *   every monthly partition of audit_events; a generic plan prunes them as it runs).
 * - The queue read by a plain index scan, never a bitmap or sequential one: every linked event leaves
 *   a dead queue row until vacuum comes by, and only a plain index scan marks the dead entries it
 *   passes, so the next run skips them. With a bitmap scan each run visited every row linked since
 *   the last vacuum (thousands under a steady token load: 2.5 ms a run, and growing).
 */
export const LINK_TX_SETTINGS = sql`set_config('synchronous_commit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true),
  set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`;

/**
 * The next `batch` queued events of a chain in (occurred_at, id) order, with the chain's head.
 * Committed events only (read committed): an event whose transaction is still open is linked by the
 * run its commit wakes, or by the sweep. The head comes with the events (one round trip), read after
 * the lock is held: no other runner can move it until this one commits.
 */
export function linkReadQuery(tx: Db, chainKey: string, batch: number) {
  return tx
    .select({
      ...getTableColumns(auditEvents),
      headSeq: sql<string | number | null>`(select last_seq from audit_chain_heads where chain_key = ${chainKey})`,
      headHash: sql<string | null>`(select last_hash from audit_chain_heads where chain_key = ${chainKey})`,
    })
    .from(auditUnchained)
    .innerJoin(auditEvents, and(eq(auditEvents.occurredAt, auditUnchained.occurredAt), eq(auditEvents.id, auditUnchained.eventId)))
    .where(eq(auditUnchained.chainKey, chainKey))
    .orderBy(asc(auditUnchained.occurredAt), asc(auditUnchained.eventId))
    .limit(batch);
}

/**
 * Link the next batch of one chain's queued events, in one transaction: take the chain's lock
 * without waiting (one runner per chain across every node), read the head, take up to LINK_BATCH
 * queued events in (occurred_at, id) order, give them the next sequence numbers, hash each onto its
 * predecessor, insert the links, delete their queue rows and advance the head. A crash anywhere
 * rolls all of it back; the queue rows stay and the next run links them.
 */
export async function linkChainBatch(db: Db, chainKey: string, batch = LINK_BATCH): Promise<LinkBatchResult> {
  return db.transaction(async (tx) => {
    const [lock] = await preparedRows<{ ok: boolean }>(
      tx,
      "gh_audit_link_lock",
      sql`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}, hashtext(${chainKey})) as ok, ${LINK_TX_SETTINGS}`,
    );
    if (!lock?.ok) return { linked: 0, busy: true, more: false };
    const events = await linkReadQuery(tx, chainKey, batch).prepare("gh_audit_link_read").execute();
    if (!events.length) return { linked: 0, busy: false, more: false };
    const head = events[0]!.headHash === null ? null : { last_seq: events[0]!.headSeq!, last_hash: events[0]!.headHash };
    let seq = head ? Number(head.last_seq) : 0;
    let prev = head?.last_hash ?? GENESIS_HASH;
    const links = events.map((e) => {
      seq += 1;
      const hash = hashEvent(prev, { ...e, chainSeq: seq }); // the hash reads the event's fields only
      const link = { s: seq, e: e.id, o: e.occurredAt.toISOString(), p: prev, h: hash };
      prev = hash;
      return link;
    });
    // Links, queue rows and head in one statement: one round trip whatever the batch size.
    await preparedRows(
      tx,
      "gh_audit_link_write",
      sql`
      with l as (
        select * from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as x(s bigint, e uuid, o timestamptz, p text, h text)
      ), ins as (
        insert into audit_chain_links (chain_key, seq, event_id, event_occurred_at, prev_hash, hash)
        select ${chainKey}, s, e, o, p, h from l order by s
      ), del as (
        delete from audit_unchained where event_id in (select e from l)
      )
      insert into audit_chain_heads (chain_key, last_seq, last_hash, updated_at)
      values (${chainKey}, ${seq}, ${prev}, now())
      on conflict (chain_key) do update set last_seq = excluded.last_seq, last_hash = excluded.last_hash, updated_at = excluded.updated_at
      returning chain_key`,
    );
    return { linked: events.length, busy: false, more: events.length === batch };
  });
}

/** Link everything queued for one chain now (until its queue is empty or another runner has it). */
export async function linkChain(db: Db, chainKey: string): Promise<{ linked: number; busy: boolean }> {
  let linked = 0;
  for (;;) {
    const r = await linkBatch(db, chainKey);
    linked += r.linked;
    if (r.busy) return { linked, busy: true };
    if (!r.more) return { linked, busy: false };
  }
}

const linkBatch = (db: Db, chainKey: string) => linkChainBatch(db, chainKey);

/** The chains with queued events. */
export async function queuedChains(db: Db, limit = 10_000): Promise<string[]> {
  const rows = await queryRows<{ chain_key: string }>(db, sql`select chain_key from audit_unchained group by chain_key limit ${limit}`);
  return rows.map((r) => r.chain_key).sort();
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Link every event queued when it is called (for tests, scripts and checkpoints): returns once each
 * chain that had queued events has been run to empty by this caller, waiting out other runners.
 */
export async function flushAuditChains(database: Database | Db, opts: { timeoutMs?: number } = {}): Promise<number> {
  const db = "withConnection" in database ? database.db : database;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let total = 0;
  let chains = await queuedChains(db);
  while (chains.length) {
    const busy: string[] = [];
    await eachLimited(chains, PARALLEL_CHAINS, async (chainKey) => {
      const r = await linkChain(db, chainKey);
      total += r.linked;
      if (r.busy) busy.push(chainKey);
    });
    if (!busy.length) break;
    if (Date.now() > deadline) throw new Error(`audit chains still held by another sequencer: ${busy.join(", ")}`);
    await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
    chains = busy;
  }
  return total;
}

export interface SequencerOptions {
  /** How often queued events are swept up (default AUDIT_CHAIN_SWEEP_MS). */
  sweepMs: number;
  /**
   * How long a wake-up waits before the run starts (AUDIT_CHAIN_BATCH_WAIT_MS; default 0): events
   * committed meanwhile join the same batch, so a steady trickle costs one run per window, not one
   * run per event.
   */
  batchWaitMs?: number;
  /** Called with each error (default: logged). */
  onError?: (err: unknown) => void;
}

export interface RunningSequencer {
  /** Wake the sequencer for a chain (what a commit does through recordAudit). */
  wake(chainKey: string): void;
  /** Stop the sweep and wake-ups, and wait for the run in progress. */
  stop(): Promise<void>;
}

/**
 * Run this process's sequencer: woken right after each commit that recorded an event (through
 * afterCommit; wake-ups that arrive while a run is going are coalesced into the next run), plus a
 * sweep every `sweepMs` that picks up whatever no wake-up covered (events written by other nodes,
 * a crash between commit and link, a chain that was busy). Every node may run one: each chain's
 * advisory lock keeps one runner per chain.
 */
export function startAuditSequencer(database: Database, opts: SequencerOptions): RunningSequencer {
  const db = database.db;
  const onError = opts.onError ?? ((err: unknown) => console.error("[audit] sequencer run failed", (err as Error).message));
  const pending = new Set<string>();
  let running: Promise<void> | null = null;
  let stopped = false;
  const retries = new Set<NodeJS.Timeout>();

  const drain = async () => {
    while (pending.size && !stopped) {
      const chains = [...pending];
      pending.clear();
      await eachLimited(chains, PARALLEL_CHAINS, async (chainKey) => {
        try {
          const r = await linkChain(db, chainKey);
          if (r.busy && !stopped) {
            const t = setTimeout(() => {
              retries.delete(t);
              wake(chainKey);
            }, BUSY_RETRY_MS);
            t.unref();
            retries.add(t);
          }
        } catch (err) {
          onError(err);
        }
      });
    }
  };
  const wake = (chainKey: string) => {
    if (stopped) return;
    pending.add(chainKey);
    if (running) return; // the run in progress takes it on its next round
    const wait = opts.batchWaitMs ?? 0;
    running = new Promise<void>((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)))
      .then(drain)
      .finally(() => {
        running = null;
        if (pending.size && !stopped) wake([...pending][0]!);
      });
  };
  let sweeping = false;
  const sweep = async () => {
    if (sweeping || stopped) return;
    sweeping = true;
    try {
      for (const chainKey of await queuedChains(db)) wake(chainKey);
    } catch (err) {
      onError(err);
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), opts.sweepMs);
  timer.unref();
  setSequencerWakeHandler(wake);
  void sweep(); // whatever was left queued before this start
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const t of retries) clearTimeout(t);
      clearSequencerWakeHandler(wake);
      await running;
    },
  };
}

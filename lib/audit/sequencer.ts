import "server-only";
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { auditChainHeads, auditEvents, auditUnchained } from "@/drizzle/schema";
import { type Database, type Db, preparedRows, queryRows, textArrayLiteral } from "@/lib/db";
import { clearSequencerWakeHandler, setSequencerWakeHandler } from "./sequencer-wake";
import { GENESIS_HASH, hashEvent } from "./verify-core.mjs";

/** Events linked per transaction at most (one multi-row insert). */
export const LINK_BATCH = 1000;
/** First key of the per-chain advisory lock (the second is the chain key's hash). */
const SEQUENCER_LOCK = 7_243_994;
/** Chains one sequencer transaction takes at most (their events still at most LINK_BATCH). */
const CHAINS_PER_RUN = 64;
/** After another runner held a chain: try again this soon (its run may have missed our events). */
const BUSY_RETRY_MS = 20;

export interface LinkRunResult {
  /** Events linked by this call. */
  linked: number;
  /** Chains another runner (this node or another) holds: nothing was done for them. */
  busy: string[];
  /** Chains whose queue may hold more: the batch filled up before their end. */
  more: string[];
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
 * - Joined by nested loops only: the generic plan is made on a connection's first run, often while
 *   the tables are small, and kept; a hash join planned then reads the whole log on every later run.
 */
export const LINK_TX_SETTINGS = sql`set_config('synchronous_commit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true),
  set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),
  set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`;

/**
 * The next `batch` queued events of the given chains, grouped by chain and in (occurred_at, id)
 * order within each, with each chain's head. Committed events only (read committed): an event whose
 * transaction is still open is linked by the run its commit wakes, or by the sweep. The heads come
 * with the events (one round trip), read after the locks are held: no other runner can move them
 * until this one commits.
 */
export function linkReadQuery(tx: Db, chainKeys: readonly string[], batch: number) {
  return tx
    .select({
      ...getTableColumns(auditEvents),
      queueChainKey: auditUnchained.chainKey,
      headSeq: auditChainHeads.lastSeq,
      headHash: auditChainHeads.lastHash,
    })
    .from(auditUnchained)
    .innerJoin(auditEvents, and(eq(auditEvents.occurredAt, auditUnchained.occurredAt), eq(auditEvents.id, auditUnchained.eventId)))
    .leftJoin(auditChainHeads, eq(auditChainHeads.chainKey, auditUnchained.chainKey))
    .where(sql`${auditUnchained.chainKey} = any(${textArrayLiteral(chainKeys)}::text[])`)
    .orderBy(asc(auditUnchained.chainKey), asc(auditUnchained.occurredAt), asc(auditUnchained.eventId))
    .limit(batch);
}

/**
 * Link the next batch of queued events of several chains, in one transaction of four statements
 * whatever the number of chains: take each chain's lock without waiting (one runner per chain across
 * every node; a chain held elsewhere is left to its runner), read the heads and up to `batch` queued
 * events in (occurred_at, id) order, give each chain's events its next sequence numbers, hash each
 * onto its predecessor, insert the links, delete their queue rows and advance the heads. A crash
 * anywhere rolls all of it back; the queue rows stay and the next run links them.
 */
export async function linkChainsBatch(db: Db, chainKeys: readonly string[], batch = LINK_BATCH): Promise<LinkRunResult> {
  const keys = [...new Set(chainKeys)];
  if (!keys.length) return { linked: 0, busy: [], more: [] };
  return db.transaction(async (tx) => {
    const [lock] = await preparedRows<{ locked: string[] }>(
      tx,
      "gh_audit_link_lock",
      sql`select array(select k from unnest(${textArrayLiteral(keys)}::text[]) k where pg_try_advisory_xact_lock(${SEQUENCER_LOCK}, hashtext(k))) as locked,
        ${LINK_TX_SETTINGS}`,
    );
    const locked = lock?.locked ?? [];
    const busy = keys.filter((k) => !locked.includes(k));
    if (!locked.length) return { linked: 0, busy, more: [] };
    const events = await linkReadQuery(tx, locked, batch).prepare("gh_audit_link_read").execute();
    if (!events.length) return { linked: 0, busy, more: [] };
    const links: { c: string; s: number; e: string; o: string; p: string; h: string }[] = [];
    const heads = new Map<string, { s: number; h: string }>();
    for (const e of events) {
      const chainKey = e.queueChainKey;
      const head = heads.get(chainKey) ?? { s: e.headHash === null ? 0 : Number(e.headSeq), h: e.headHash ?? GENESIS_HASH };
      const seq = head.s + 1;
      const hash = hashEvent(head.h, { ...e, chainSeq: seq }); // the hash reads the event's fields only
      links.push({ c: chainKey, s: seq, e: e.id, o: e.occurredAt.toISOString(), p: head.h, h: hash });
      heads.set(chainKey, { s: seq, h: hash });
    }
    // Links, queue rows and heads in one statement: one round trip whatever the batch size.
    await preparedRows(
      tx,
      "gh_audit_link_write",
      sql`
      with l as (
        select * from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as x(c text, s bigint, e uuid, o timestamptz, p text, h text)
      ), ins as (
        insert into audit_chain_links (chain_key, seq, event_id, event_occurred_at, prev_hash, hash)
        select c, s, e, o, p, h from l order by c, s
      ), del as (
        delete from audit_unchained where event_id in (select e from l)
      )
      insert into audit_chain_heads (chain_key, last_seq, last_hash, updated_at)
      select c, s, h, now() from jsonb_to_recordset(${JSON.stringify([...heads].map(([c, h]) => ({ c, ...h })))}::jsonb) as x(c text, s bigint, h text)
      on conflict (chain_key) do update set last_seq = excluded.last_seq, last_hash = excluded.last_hash, updated_at = excluded.updated_at
      returning chain_key`,
    );
    // The rows come grouped by chain: every chain before the last one seen was read to its end. A
    // full batch may have stopped inside the last one, and never reached the chains not seen.
    const more = events.length < batch ? [] : [events[events.length - 1]!.queueChainKey, ...locked.filter((k) => !heads.has(k))];
    return { linked: events.length, busy, more };
  });
}

/**
 * Link everything queued for these chains now, CHAINS_PER_RUN chains to a transaction, until each
 * queue is empty or another runner has the chain; returns the events linked and the busy chains. A
 * chain that cannot be linked does not stop the others; the first such error is thrown at the end.
 */
export async function linkChains(db: Db, chainKeys: readonly string[]): Promise<{ linked: number; busy: string[] }> {
  let linked = 0;
  const busy = new Set<string>();
  let failure: unknown = null;
  let todo = [...new Set(chainKeys)];
  while (todo.length) {
    const next: string[] = [];
    for (let i = 0; i < todo.length; i += CHAINS_PER_RUN) {
      const { results, error } = await linkRun(db, todo.slice(i, i + CHAINS_PER_RUN));
      failure ??= error;
      for (const r of results) {
        linked += r.linked;
        for (const k of r.busy) busy.add(k);
        next.push(...r.more);
      }
    }
    todo = next;
  }
  if (failure) throw failure;
  return { linked, busy: [...busy] };
}

/**
 * One run over several chains; when it fails, each chain again on its own, so one chain that cannot
 * be linked (a head edited by hand, say) does not hold up the others.
 */
async function linkRun(db: Db, chainKeys: string[]): Promise<{ results: LinkRunResult[]; error: unknown }> {
  try {
    return { results: [await linkChainsBatch(db, chainKeys)], error: null };
  } catch (err) {
    if (chainKeys.length === 1) return { results: [], error: err };
    const results: LinkRunResult[] = [];
    let error: unknown = null;
    for (const k of chainKeys) {
      try {
        results.push(await linkChainsBatch(db, [k]));
      } catch (e) {
        error ??= e;
      }
    }
    return { results, error };
  }
}

/** Link everything queued for one chain now (until its queue is empty or another runner has it). */
export async function linkChain(db: Db, chainKey: string): Promise<{ linked: number; busy: boolean }> {
  const r = await linkChains(db, [chainKey]);
  return { linked: r.linked, busy: r.busy.length > 0 };
}

/** The chains with queued events. */
export async function queuedChains(db: Db, limit = 10_000): Promise<string[]> {
  const rows = await queryRows<{ chain_key: string }>(db, sql`select chain_key from audit_unchained group by chain_key limit ${limit}`);
  return rows.map((r) => r.chain_key).sort();
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
    const r = await linkChains(db, chains);
    total += r.linked;
    if (!r.busy.length) break;
    if (Date.now() > deadline) throw new Error(`audit chains still held by another sequencer: ${r.busy.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    chains = r.busy;
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

  // One run over the chains woken so far (each linked to the end of its queue). Wake-ups that arrive
  // during the run start the next one after the batch wait again, not at once: under a steady load,
  // back-to-back runs would each link only what committed during the one before (a few events a run
  // at a few hundred a second, one transaction of four statements each time).
  const drain = async () => {
    if (!pending.size || stopped) return;
    const chains = [...pending];
    pending.clear();
    try {
      const r = await linkChains(db, chains);
      if (r.busy.length && !stopped) {
        const t = setTimeout(() => {
          retries.delete(t);
          for (const chainKey of r.busy) wake(chainKey);
        }, BUSY_RETRY_MS);
        t.unref();
        retries.add(t);
      }
    } catch (err) {
      onError(err);
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

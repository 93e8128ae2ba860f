import "server-only";
import { sql } from "drizzle-orm";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import type { Limit, LimitResult } from "./index";

// Leased limits: for the hottest limits (the token endpoint's, counted on every refresh), a node
// takes a block of a window's hits from the shared bucket in one statement and hands them out in
// memory, instead of one statement per hit.
//
// - Never looser than `hit`: every hit a node admits was first added to the bucket's count in the
//   database, in the window it is admitted in, so all nodes together admit at most `max` a window.
// - Exact near the limit: a block is at most 1/LEASE_SHARE of what the window had left when it was
//   taken (and at most MAX_LEASE), so below LEASE_SHARE × 2 hits left every hit is one statement, as
//   with `hit`. What other nodes hold unused (the price of leasing) is small by the same rule.
// - A block is taken only when this node's is used up; concurrent hits of one key wait for the one
//   statement in flight. A refused hit always asks the database (nothing is refused from memory),
//   so a refusal is never staler than the bucket.
// - A window's end is the database's (its reset_at, as milliseconds left when read), so node clocks
//   do not matter; a block is dropped at its window's end (reckoned from when the statement was
//   sent, so never after the database's).

/** At most this many hits leased in one statement. */
export const MAX_LEASE = 64;
/** A lease takes at most this share (1/n) of what the window has left. */
export const LEASE_SHARE = 16;

interface LeaseState {
  /** performance.now() at which the window, as the database reported it, ends. */
  endsAt: number;
  /** Hits leased in this window and not handed out yet. */
  unused: number;
  /** What the window had left (max − hits) after the last lease. */
  left: number;
  /** The database's count after the last lease. */
  hits: number;
  /** The lease statement in flight for this key, if any. */
  pending: Promise<void> | null;
}

/** Keys a node keeps leases for at once; past this, keys whose window ended are dropped first. */
export const MAX_LEASED_KEYS = 20_000;

/** One node's leases (a process has one: `leasedHit`; tests make more to play several nodes). */
export class LimitLeases {
  private readonly leases = new Map<string, LeaseState>();

  constructor(private readonly maxKeys = MAX_LEASED_KEYS) {}

  /** How many keys this node holds state for (tests). */
  get size(): number {
    return this.leases.size;
  }

  /** Forget every lease held (tests that reset the buckets in the database). */
  clear(): void {
    this.leases.clear();
  }

  /**
   * Count one hit on `key` (fixed window) as `hit` does, from this node's lease when it holds one.
   * The caller does the expensive work only when `allowed`.
   */
  async hit(key: string, limit: Limit, db: Executor = getDb()): Promise<LimitResult> {
    for (;;) {
      const now = performance.now();
      let state = this.leases.get(key);
      if (state && state.endsAt <= now && !state.pending) {
        this.leases.delete(key);
        state = undefined;
      }
      if (state && state.unused > 0 && state.endsAt > now) {
        state.unused--;
        return answer(limit, state, true, now);
      }
      if (state?.pending) {
        await state.pending.catch(() => {});
        continue;
      }
      // Take a block (the first of a window: a share of the whole window). Many keys at once (an
      // address per request): keys whose window ended go first; past that, a new key is counted one
      // hit at a time and not remembered, so the map stays bounded whatever the traffic.
      if (!state && this.leases.size >= this.maxKeys) this.prune(now);
      const remembered = state !== undefined || this.leases.size < this.maxKeys;
      const s: LeaseState = state ?? { endsAt: 0, unused: 0, left: remembered ? limit.max : 0, hits: 0, pending: null };
      if (remembered) this.leases.set(key, s);
      const n = leaseSize(s.left);
      let row: { hits: number | string; ms_left: number | string } | undefined;
      // The window's end is reckoned from before the statement was sent: never later than the database's.
      const sentAt = performance.now();
      s.pending = (async () => {
        [row] = await preparedRows<{ hits: number; ms_left: number }>(db, "gh_rate_limit_lease", leaseSql(key, n, limit.windowSeconds));
      })();
      try {
        await s.pending;
      } finally {
        s.pending = null;
      }
      const hits = Number(row!.hits);
      const at = performance.now();
      // hits = n: the bucket was empty (a new window, or a new row), so what this node held belonged
      // to a window that is over.
      if (hits === n) s.unused = 0;
      s.endsAt = sentAt + Number(row!.ms_left);
      s.hits = hits;
      s.left = Math.max(0, limit.max - hits);
      // Of the n hits just added, those within the limit are this node's.
      const granted = Math.max(0, Math.min(n, limit.max - (hits - n)));
      if (granted === 0) return answer(limit, s, false, at);
      s.unused += granted - 1;
      return answer(limit, s, true, at);
    }
  }

  private prune(now: number): void {
    for (const [key, state] of this.leases) if (state.endsAt <= now && !state.pending) this.leases.delete(key);
  }
}

// On globalThis: Next.js may load this module in several bundles (and the direct lane from source),
// and they must share one node's leases.
const KEY = Symbol.for("gatehouse.rate-limit.leases");
function nodeLeases(): LimitLeases {
  const g = globalThis as { [KEY]?: LimitLeases };
  return (g[KEY] ??= new LimitLeases());
}

/** Forget every lease this process holds (tests that reset the buckets in the database). */
export function resetLimitLeases(): void {
  nodeLeases().clear();
}

/** The block to ask for when the window had `left` hits left. */
export function leaseSize(left: number): number {
  return Math.min(MAX_LEASE, Math.max(1, Math.floor(left / LEASE_SHARE)));
}

/** `LimitLeases.hit` on this process's leases. */
export function leasedHit(key: string, limit: Limit, db: Executor = getDb()): Promise<LimitResult> {
  return nodeLeases().hit(key, limit, db);
}

function answer(limit: Limit, s: LeaseState, allowed: boolean, now: number): LimitResult {
  // The bucket's count less what this node still holds: the hits handed out so far, as far as this node knows.
  const hits = allowed ? Math.min(limit.max, s.hits - s.unused) : Math.max(limit.max + 1, s.hits);
  return {
    allowed,
    hits,
    remaining: Math.max(0, limit.max - hits),
    retryAfterSeconds: Math.max(1, Math.ceil((s.endsAt - now) / 1000)),
  };
}

/**
 * Add `n` hits to `key`'s bucket (a new window when the last one ended), returning the count and the
 * milliseconds left in the window. Committed without waiting for the WAL flush, as the admission
 * statements that count hits: the bucket row is held for the statement only; a crash can lose the
 * last few counts, no more.
 */
function leaseSql(key: string, n: number, windowSeconds: number) {
  return sql`with leased as (
      insert into rate_limit_buckets (key, hits, reset_at)
      values (${key}, ${n}, now() + make_interval(secs => ${windowSeconds}))
      on conflict (key) do update set
        hits = case when rate_limit_buckets.reset_at <= now() then excluded.hits else rate_limit_buckets.hits + excluded.hits end,
        reset_at = case when rate_limit_buckets.reset_at <= now() then excluded.reset_at else rate_limit_buckets.reset_at end
      returning hits, greatest(0, extract(epoch from (reset_at - now())) * 1000) as ms_left
    )
    select hits, ms_left from leased cross join (select set_config('synchronous_commit', 'off', true)) async`;
}

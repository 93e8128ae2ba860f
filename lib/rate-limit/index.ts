import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { rateLimitBuckets } from "@/drizzle/schema";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import { RateLimitedError } from "@/lib/errors";

export interface Limit {
  /** Hits allowed per window. */
  max: number;
  windowSeconds: number;
}

export interface LimitResult {
  allowed: boolean;
  /** Hits in the window, this one included: exactly `max + 1` for the first refused hit. */
  hits: number;
  remaining: number;
  retryAfterSeconds: number;
}

/**
 * The upsert that counts one hit on `key` (a string, or an SQL expression such as a scalar subquery
 * on an earlier CTE) (fixed window of `windowSeconds`) when `when` holds,
 * returning `hits` and `retry_after`: the primitive of `hit`, for statements that fold a limit into
 * a larger one (a CTE). Row lock order is the caller's: fold keys in a fixed order.
 */
export function bucketHitSql(key: string | SQL, windowSeconds: number, when: SQL = sql`true`): SQL {
  return sql`insert into rate_limit_buckets (key, hits, reset_at)
    select ${typeof key === "string" ? sql`${key}` : sql`(${key})`}, 1, now() + make_interval(secs => ${windowSeconds}) where ${when}
    on conflict (key) do update set
      hits = case when rate_limit_buckets.reset_at <= now() then 1 else rate_limit_buckets.hits + 1 end,
      reset_at = case when rate_limit_buckets.reset_at <= now() then excluded.reset_at else rate_limit_buckets.reset_at end
    returning hits, greatest(1, ceil(extract(epoch from (reset_at - now()))))::int as retry_after`;
}

/** A bucket's answer as the callers see it. */
export function limitResult(max: number, windowSeconds: number, row: { hits: number | string; retry_after: number | string } | undefined): LimitResult {
  const hits = Number(row?.hits ?? 1);
  return {
    allowed: hits <= max,
    hits,
    remaining: Math.max(0, max - hits),
    retryAfterSeconds: Number(row?.retry_after ?? windowSeconds),
  };
}

/**
 * Reserve one hit against `key` in a fixed window kept in Postgres, so the limit holds across every
 * app node. One atomic upsert that returns the new count: concurrent hits are counted exactly, and
 * the caller does the expensive work only when `allowed` (reserve before spending).
 */
export async function hit(key: string, limit: Limit, db: Executor = getDb()): Promise<LimitResult> {
  const [row] = await preparedRows<{ hits: number; retry_after: number }>(db, "gh_rate_limit_hit", bucketHitSql(key, limit.windowSeconds));
  return limitResult(limit.max, limit.windowSeconds, row);
}

export interface Reservation {
  key: string;
  limit: Limit;
  /**
   * Growing back-off: a new window lasts `windowSeconds × 2^floor(hits of fromKey / per)`, at most
   * `maxWindowSeconds` (e.g. the account budget's window doubles with every budget of consecutive failures).
   */
  backoff?: { fromKey: string; per: number; maxWindowSeconds: number };
}

/**
 * The upsert that reserves one hit on several keys (keys locked in a fixed order, so concurrent
 * reservations never deadlock), returning `key`, `hits`, `retry_after` per key: the primitive of
 * `reserveAll`, for statements that fold a reservation into a larger one (a CTE).
 */
export function reserveAllSql(reservations: Reservation[]): SQL {
  const input = reservations.map((r) => ({
    key: r.key,
    window: r.limit.windowSeconds,
    from: r.backoff?.fromKey ?? null,
    per: r.backoff?.per ?? 1,
    cap: r.backoff?.maxWindowSeconds ?? r.limit.windowSeconds,
  }));
  return sql`insert into rate_limit_buckets (key, hits, reset_at)
      select k.key, 1, now() + make_interval(secs => least(k.cap, k.window * power(2, floor(coalesce(b.hits, 0)::numeric / k.per)))::int)
      from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as k(key text, "window" int, "from" text, per int, cap int)
      left join rate_limit_buckets b on b.key = k."from" and b.reset_at > now()
      order by k.key
      on conflict (key) do update set
        hits = case when rate_limit_buckets.reset_at <= now() then 1 else rate_limit_buckets.hits + 1 end,
        reset_at = case when rate_limit_buckets.reset_at <= now() then excluded.reset_at else rate_limit_buckets.reset_at end
      returning key, hits, greatest(1, ceil(extract(epoch from (reset_at - now()))))::int as retry_after`;
}

/** `reserveAllSql`'s rows as each reservation's answer. */
export function reservationResults(
  reservations: Reservation[],
  rows: { key: string; hits: number | string; retry_after: number | string }[],
): Record<string, LimitResult> {
  const out: Record<string, LimitResult> = {};
  for (const r of reservations) out[r.key] = limitResult(r.limit.max, r.limit.windowSeconds, rows.find((x) => x.key === r.key));
  return out;
}

/**
 * Reserve one hit on several keys in one statement (keys locked in a fixed order, so concurrent
 * reservations never deadlock). Each key is counted; the caller proceeds only if all are allowed.
 */
export async function reserveAll(reservations: Reservation[], db: Executor = getDb()): Promise<Record<string, LimitResult>> {
  const rows = await preparedRows<{ key: string; hits: number; retry_after: number }>(db, "gh_rate_limit_reserve", reserveAllSql(reservations));
  return reservationResults(reservations, rows);
}

/** Count a hit and throw a 429 (with Retry-After) when over the limit. */
export async function enforce(key: string, limit: Limit, db?: Executor): Promise<LimitResult> {
  const result = await hit(key, limit, db);
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
  return result;
}

/** The hits `key` has in its current window and when it resets, without counting one. */
export async function peek(key: string, db: Executor = getDb()): Promise<{ hits: number; retryAfterSeconds: number }> {
  const [row] = await db
    .select({
      hits: sql<number>`case when ${rateLimitBuckets.resetAt} <= now() then 0 else ${rateLimitBuckets.hits} end`,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${rateLimitBuckets.resetAt} - now()))))::int`,
    })
    .from(rateLimitBuckets)
    .where(eq(rateLimitBuckets.key, key));
  return { hits: Number(row?.hits ?? 0), retryAfterSeconds: Number(row?.retryAfter ?? 0) };
}

/**
 * Give back one hit of the current window (a reservation whose attempt succeeded, where the policy
 * says successes do not count). Never below zero; a window that already ended is left alone.
 */
export async function refund(key: string, db: Executor = getDb()): Promise<void> {
  await db
    .update(rateLimitBuckets)
    .set({ hits: sql`greatest(0, ${rateLimitBuckets.hits} - 1)` })
    .where(and(eq(rateLimitBuckets.key, key), sql`${rateLimitBuckets.resetAt} > now()`));
}

/** Give back one hit of the current window on each of `keys`: one statement, rows locked in key order (as `reserveAll`). */
export async function refundAll(keys: string[], db: Executor = getDb()): Promise<void> {
  await db.execute(sql`update rate_limit_buckets set hits = greatest(0, hits - 1)
    where key in (
      select key from rate_limit_buckets
      where key = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))) and reset_at > now()
      order by key
      for update
    )`);
}

/** Forget a key (e.g. after a successful sign-in clears the failure counter). */
export async function reset(key: string, db: Executor = getDb()): Promise<void> {
  await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}

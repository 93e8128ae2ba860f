import "server-only";
import { eq, sql } from "drizzle-orm";
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
  remaining: number;
  retryAfterSeconds: number;
}

/**
 * Count one hit against `key` in a fixed window kept in Postgres, so the limit holds across every
 * app node. One atomic upsert: concurrent hits are counted exactly.
 */
export async function hit(key: string, limit: Limit, db: Executor = getDb()): Promise<LimitResult> {
  const window = sql`make_interval(secs => ${limit.windowSeconds})`;
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, hits: 1, resetAt: sql`now() + ${window}` })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        hits: sql`case when ${rateLimitBuckets.resetAt} <= now() then 1 else ${rateLimitBuckets.hits} + 1 end`,
        resetAt: sql`case when ${rateLimitBuckets.resetAt} <= now() then now() + ${window} else ${rateLimitBuckets.resetAt} end`,
      },
    })
    .returning({
      hits: rateLimitBuckets.hits,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${rateLimitBuckets.resetAt} - now()))))::int`,
    });
  const hits = row?.hits ?? 1;
  return {
    allowed: hits <= limit.max,
    remaining: Math.max(0, limit.max - hits),
    retryAfterSeconds: Number(row?.retryAfter ?? limit.windowSeconds),
  };
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
 * Throw a 429 if any key already has its `max` hits in its window (checks without counting; one
 * query for all keys). Returns the current hits per key.
 */
export async function assertUnder(limits: Record<string, number>, db: Executor = getDb()): Promise<Record<string, number>> {
  const keys = Object.keys(limits);
  // On every sign-in attempt: one prepared statement whatever the number of keys.
  const rows = await preparedRows<{ key: string; hits: number; retry_after: number }>(
    db,
    "gh_rate_limit_peek",
    sql`select key,
        case when reset_at <= now() then 0 else hits end as hits,
        greatest(1, ceil(extract(epoch from (reset_at - now()))))::int as retry_after
      from rate_limit_buckets
      where key = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`,
  );
  const hits: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const row of rows) {
    hits[row.key] = Number(row.hits);
    if (Number(row.hits) >= limits[row.key]!) throw new RateLimitedError(Number(row.retry_after));
  }
  return hits;
}

/** Forget a key (e.g. after a successful sign-in clears the failure counter). */
export async function reset(key: string, db: Executor = getDb()): Promise<void> {
  await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}

/** Delete expired buckets; run from a periodic job. */
export async function purgeExpired(db: Executor = getDb()): Promise<number> {
  const rows = await db
    .delete(rateLimitBuckets)
    .where(sql`${rateLimitBuckets.resetAt} < now() - interval '1 hour'`)
    .returning({ key: rateLimitBuckets.key });
  return rows.length;
}

import "server-only";
import { and, sql } from "drizzle-orm";
import { auditEvents } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { type AuditFilter, auditWhere } from "./filter";

export interface HistogramBucket {
  /** Bucket start, ISO 8601 UTC. */
  start: string;
  count: number;
}

export interface Histogram {
  bucketSeconds: number;
  from: string;
  to: string;
  buckets: HistogramBucket[];
}

const STEPS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86_400, 7 * 86_400, 30 * 86_400];

/** A bucket width giving at most ~`target` bars over the span. */
export function bucketSecondsFor(spanMs: number, target = 60): number {
  const want = spanMs / 1000 / target;
  return STEPS.find((s) => s >= want) ?? STEPS.at(-1)!;
}

/**
 * Events over time for the filter, bucketed with date_bin in SQL (aligned to the Unix epoch, UTC).
 * Without a lower bound, the span starts at the oldest matching event. Empty buckets are filled in.
 */
export async function auditHistogram(filter: AuditFilter, db: Executor = getDb(), now = new Date()): Promise<Histogram> {
  const where = and(...auditWhere(filter));
  const to = filter.to ?? now;
  let from = filter.from ?? null;
  if (!from) {
    const [oldest] = await db
      .select({ t: sql<string>`min(${auditEvents.occurredAt})` })
      .from(auditEvents)
      .where(where);
    from = oldest?.t ? new Date(oldest.t) : new Date(to.getTime() - 3_600_000);
  }
  const bucketSeconds = bucketSecondsFor(Math.max(to.getTime() - from.getTime(), 60_000));
  const step = sql.raw(`'${bucketSeconds} seconds'::interval`);
  const bin = sql`date_bin(${step}, ${auditEvents.occurredAt}, timestamptz '1970-01-01 00:00:00+00')`;
  const rows = await db
    .select({ start: sql<string>`extract(epoch from ${bin})::bigint`, count: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(where)
    .groupBy(bin)
    .orderBy(bin);
  const counts = new Map(rows.map((r) => [Number(r.start), Number(r.count)]));
  const buckets: HistogramBucket[] = [];
  const first = Math.floor(from.getTime() / 1000 / bucketSeconds) * bucketSeconds;
  for (let s = first; s * 1000 < to.getTime(); s += bucketSeconds) {
    buckets.push({ start: new Date(s * 1000).toISOString(), count: counts.get(s) ?? 0 });
  }
  return { bucketSeconds, from: from.toISOString(), to: to.toISOString(), buckets };
}

import "server-only";
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { auditCheckpointDeliveries as d, auditCheckpoints as c } from "@/drizzle/schema";
import type { Db } from "@/lib/db";
import type { CheckpointSink } from "./checkpoint-store";

export interface SinkConfig {
  /** Directory of append-only day files `audit-checkpoints-YYYY-MM-DD.jsonl`. */
  dir?: string;
  /** Endpoint that receives checkpoints as NDJSON (POST). */
  url?: string;
  fetch?: typeof fetch;
}

/** Seconds to wait before attempt n+1: 30 s doubling, at most an hour. Never given up: nothing is lost. */
export function sinkBackoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

export const checkpointFileName = (at: string) => `audit-checkpoints-${at.slice(0, 10)}.jsonl`;

/** Append lines to the day file of their signing time; O_APPEND writes, the file is never rewritten. */
async function writeToDir(dir: string, items: { at: string; line: string }[]) {
  await mkdir(dir, { recursive: true });
  const byFile = new Map<string, string[]>();
  for (const it of items) {
    const name = checkpointFileName(it.at);
    byFile.set(name, [...(byFile.get(name) ?? []), it.line]);
  }
  for (const [name, lines] of byFile) await appendFile(path.join(dir, name), `${lines.join("\n")}\n`, { flag: "a" });
}

async function postToUrl(url: string, items: { line: string }[], fetchFn: typeof fetch) {
  const res = await fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body: `${items.map((i) => i.line).join("\n")}\n`,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/**
 * Deliver queued checkpoints to each configured sink, oldest first, in batches. Rows are claimed
 * with FOR UPDATE SKIP LOCKED, so several nodes can run this; a failed batch stays queued with a
 * backoff. Delivery is at least once (a crash between the write and the commit repeats a line):
 * verifiers ignore exact duplicates.
 */
export async function deliverCheckpoints(db: Db, cfg: SinkConfig, batch = 500): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  const sinks: [CheckpointSink, string | undefined][] = [
    ["dir", cfg.dir],
    ["url", cfg.url],
  ];
  for (const [sink, target] of sinks) {
    if (!target) continue;
    for (;;) {
      const outcome = await db.transaction(async (tx) => {
        const due = await tx
          .select({ chainKey: d.chainKey, n: d.n, attempts: d.attempts, line: c.line, signedAt: c.signedAt })
          .from(d)
          .innerJoin(c, and(eq(c.chainKey, d.chainKey), eq(c.n, d.n)))
          .where(and(eq(d.sink, sink), lte(d.nextAttemptAt, new Date())))
          .orderBy(asc(c.signedAt), asc(d.chainKey), asc(d.n))
          .limit(batch)
          .for("update", { of: d, skipLocked: true });
        if (!due.length) return null;
        const items = due.map((r) => ({ at: r.signedAt.toISOString(), line: r.line }));
        const keys = sql`(${d.chainKey}, ${d.n}) in (${sql.join(
          due.map((r) => sql`(${r.chainKey}, ${r.n})`),
          sql`, `,
        )})`;
        try {
          if (sink === "dir") await writeToDir(target, items);
          else await postToUrl(target, items, cfg.fetch ?? fetch);
          await tx.delete(d).where(and(eq(d.sink, sink), keys));
          return { ok: due.length, full: due.length === batch };
        } catch (err) {
          const attempts = Math.max(...due.map((r) => r.attempts)) + 1;
          await tx
            .update(d)
            .set({
              attempts: sql`${d.attempts} + 1`,
              lastError: String((err as Error).message ?? err).slice(0, 500),
              nextAttemptAt: new Date(Date.now() + sinkBackoffSeconds(attempts) * 1000),
            })
            .where(and(eq(d.sink, sink), keys));
          return { failed: due.length };
        }
      });
      if (!outcome) break;
      if ("failed" in outcome) {
        failed += outcome.failed ?? 0;
        break;
      }
      delivered += outcome.ok;
      if (!outcome.full) break;
    }
  }
  return { delivered, failed };
}

import "server-only";
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import { auditChainAnchors, auditChainLinks, orgs } from "@/drizzle/schema";
import type { Database, Db, Tx } from "@/lib/db";
import { checkpointSettings } from "./checkpoint-job";
import { appendCheckpoints, type CheckpointContext } from "./checkpoint-store";
import { recordAudit } from "./record";
import { flushAuditChains } from "./sequencer";

export interface MaintenanceOptions {
  now?: Date;
  /** Monthly partitions to keep created ahead of now. */
  monthsAhead?: number;
  /** Retention of platform-level events (org_id null), in days. */
  platformRetentionDays: number;
  /** Signer and sinks of the retention checkpoints (default: from the environment). */
  checkpoints?: CheckpointContext;
}

export interface PartitionDecision {
  partition: string;
  from: string;
  to: string;
  dropped: boolean;
  /** Why it was kept, when it was. */
  keptBecause?: string;
}

export interface MaintenanceReport {
  created: number;
  decisions: PartitionDecision[];
}

/** Rows of a raw query; both drivers answer `{ rows }`. */
async function rows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const MAINTENANCE_LOCK = 7_243_992;
const DAY = 86_400_000;
const PART = /^audit_events_(\d{4})_(\d{2})$/;

/** The monthly partitions, oldest first, with their bounds (from their names, which we create). */
async function listMonthlyPartitions(db: Db): Promise<{ name: string; from: Date; to: Date }[]> {
  const res = await rows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'audit_events'::regclass`,
  );
  return res
    .map((r) => ({ name: r.name, m: PART.exec(r.name) }))
    .filter((r): r is { name: string; m: RegExpExecArray } => !!r.m)
    .map(({ name, m }) => ({ name, from: new Date(Date.UTC(+m[1]!, +m[2]! - 1, 1)), to: new Date(Date.UTC(+m[1]!, +m[2]!, 1)) }))
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Decide whether a month's partition may go: only when every org with events in it is past its own
 * retention for the whole month and none is on legal hold (and platform events are past theirs).
 */
async function decide(db: Db, part: { name: string; from: Date; to: Date }, now: Date, platformDays: number): Promise<string | null> {
  const ident = sql.identifier(part.name);
  const res = await rows<{ id: string; slug: string; days: number; hold: boolean }>(db, sql`
    select o.id, o.slug, o.audit_retention_days as days, o.legal_hold as hold
    from ${orgs} o
    where exists (select 1 from ${ident} p where p.org_id = o.id)`);
  for (const o of res) {
    if (o.hold) return `${o.slug} is on legal hold`;
    if (part.to.getTime() > now.getTime() - Number(o.days) * DAY) return `${o.slug} keeps events for ${o.days} days`;
  }
  const platform = await rows(db, sql`select 1 from ${ident} where org_id is null limit 1`);
  if (platform.length && part.to.getTime() > now.getTime() - platformDays * DAY) {
    return `platform events are kept for ${platformDays} days`;
  }
  return null;
}

/**
 * Drop one partition, re-anchor the chains that lost their oldest events, and record it. First, in
 * the same transaction, a signed retention checkpoint of each chain's last dropped event: so a
 * drop by retention is told apart from a partition removed behind the app's back.
 */
async function dropPartition(db: Db, part: { name: string; from: Date; to: Date }, checkpoints: CheckpointContext): Promise<void> {
  await db.transaction(async (tx) => {
    const ident = sql.identifier(part.name);
    // Each chain's last link among the dropped events. Links stay (ids and hashes only, append-only);
    // verification resumes after the retention checkpoint signed here.
    const chains = await rows<{ chain_key: string; n: number; seq: string | number; hash: string }>(
      tx,
      sql`select distinct on (l.chain_key) l.chain_key, count(*) over (partition by l.chain_key)::int as n, l.seq, l.hash
          from ${ident} p join audit_chain_links l on l.event_id = p.id
          order by l.chain_key, l.seq desc`,
    );
    await appendCheckpoints(
      tx,
      chains.map((c) => ({ chainKey: c.chain_key, kind: "retention" as const, seq: Number(c.seq), hash: c.hash })),
      checkpoints,
    );
    // Queue rows of events that go with the partition (none once the chains were flushed).
    await tx.execute(sql`delete from audit_unchained q using ${ident} p where q.event_id = p.id`);
    await tx.execute(sql`drop table ${ident}`);
    const anchors: { chainKey: string; firstSeq: number; removed: number }[] = [];
    for (const c of chains) {
      const chainKey = c.chain_key;
      const [first] = await tx
        .select({ seq: auditChainLinks.seq, prevHash: auditChainLinks.prevHash })
        .from(auditChainLinks)
        .where(and(eq(auditChainLinks.chainKey, chainKey), gt(auditChainLinks.seq, Number(c.seq))))
        .orderBy(asc(auditChainLinks.seq))
        .limit(1);
      if (!first) continue; // the whole chain is gone; its head still records how far it went
      await tx
        .insert(auditChainAnchors)
        .values({ chainKey, firstSeq: Number(first.seq), prevHash: first.prevHash })
        .onConflictDoUpdate({ target: auditChainAnchors.chainKey, set: { firstSeq: Number(first.seq), prevHash: first.prevHash, updatedAt: new Date() } });
      anchors.push({ chainKey, firstSeq: Number(first.seq), removed: Number(c.n) });
    }
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "system", id: "audit-maintenance", name: "Audit retention" },
      action: "audit.partition_dropped",
      target: { type: "partition", id: part.name, name: `${part.from.toISOString().slice(0, 7)}` },
      metadata: { from: part.from.toISOString(), to: part.to.toISOString(), anchors },
    });
  });
}

/**
 * Keep monthly partitions created ahead of time, and apply retention by dropping whole partitions
 * (never row by row: rows are append-only). Months go oldest first: a month goes once every org
 * with events in it is past its retention and none is on legal hold; the first month that must stay
 * stops the run, so chains never get holes. On a server, an advisory lock lets one node run it.
 */
export async function runAuditMaintenance(database: Database, opts: MaintenanceOptions): Promise<MaintenanceReport | null> {
  const now = opts.now ?? new Date();
  return database.withConnection(async (db) => {
    if (database.kind === "postgres") {
      const [lock] = await rows<{ ok: boolean }>(db, sql`select pg_try_advisory_lock(${MAINTENANCE_LOCK}) as ok`);
      if (!lock?.ok) return null; // another node is on it
    }
    try {
      const [made] = await rows<{ n: number }>(db, sql`select audit_ensure_partitions(0, ${opts.monthsAhead ?? 3}) as n`);
      const created = Number(made?.n ?? 0);
      const decisions: PartitionDecision[] = [];
      // Nothing younger than the shortest retention anywhere can go: those months are not looked at.
      const [shortest] = await rows<{ days: number | null }>(db, sql`select min(audit_retention_days) as days from ${orgs}`);
      const minDays = Math.min(opts.platformRetentionDays, Number(shortest?.days ?? opts.platformRetentionDays));
      const horizon = now.getTime() - minDays * DAY;
      let flushed = false;
      for (const part of await listMonthlyPartitions(db)) {
        if (part.to.getTime() > horizon) break;
        if (!flushed) {
          // Link every committed event first, so each dropped event's link is signed below.
          await flushAuditChains(database);
          flushed = true;
        }
        const keptBecause = await decide(db, part, now, opts.platformRetentionDays);
        if (!keptBecause) await dropPartition(db, part, opts.checkpoints ?? checkpointSettings().context);
        decisions.push({ partition: part.name, from: part.from.toISOString(), to: part.to.toISOString(), dropped: !keptBecause, ...(keptBecause ? { keptBecause } : {}) });
        // Oldest first, and stop at the first month kept: dropping a later one would cut a hole in
        // the middle of the chains that the kept month still holds.
        if (keptBecause) break;
      }
      return { created, decisions };
    } finally {
      if (database.kind === "postgres") await db.execute(sql`select pg_advisory_unlock(${MAINTENANCE_LOCK})`);
    }
  });
}


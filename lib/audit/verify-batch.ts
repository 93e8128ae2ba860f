import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { auditEvents } from "@/drizzle/schema";
import { type Executor, queryRows } from "@/lib/db";
import { canonicalJson, hashEvent } from "./verify-core.mjs";

export interface CheckedRow {
  id: string;
  chainSeq: number;
  prevHash: string;
  hash: string;
  intact: boolean;
}

export const VERIFY_BATCH = 5000;

// Postgres writes the event's canonical JSON around its metadata (keys in sorted order, strings
// escaped by to_json exactly as JSON.stringify does), so only the metadata is encoded here.
const j = (col: string) => `coalesce(to_json(${col})::text, 'null')`;
const BEFORE = sql.raw(
  `'{"action":' || ${j("action")} || ',"actorId":' || ${j("actor_id")} || ',"actorName":' || ${j("actor_name")} ||` +
    ` ',"actorType":' || ${j("actor_type")} || ',"chainSeq":' || l.seq || ',"clientId":' || ${j("client_id")} ||` +
    ` ',"grantId":' || ${j("grant_id")} || ',"id":' || ${j("e.id::text")} || ',"ip":' || ${j("ip")} || ',"metadata":'`,
);
const AFTER = sql.raw(
  `',"occurredAt":"' || to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","onBehalfOfName":' ||` +
    ` ${j("on_behalf_of_name")} || ',"onBehalfOfUserId":' || ${j("on_behalf_of_user_id::text")} || ',"orgId":' || ${j("org_id::text")} ||` +
    ` ',"outcome":' || ${j("outcome")} || ',"requestId":' || ${j("request_id")} || ',"targetId":' || ${j("target_id")} ||` +
    ` ',"targetName":' || ${j("target_name")} || ',"targetType":' || ${j("target_type")} || ',"userAgent":' || ${j("user_agent")} || '}'`,
);

/** Recheck one event with the full encoding in JavaScript (the fast path's verdict is only trusted when it says "intact"). */
async function recheck(db: Executor, row: { id: string; at: string; seq: number; prevHash: string; hash: string }): Promise<boolean> {
  const [event] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.occurredAt, sql`${row.at}::timestamptz` as never), eq(auditEvents.id, row.id)))
    .limit(1);
  return !!event && hashEvent(row.prevHash, { ...event, chainSeq: row.seq }) === row.hash;
}

/**
 * One batch of a chain's links after `afterSeq`, in sequence order, each with its event's hash
 * checked. A link whose event row is gone is left out (the walk reports it as missing).
 */
export async function checkedBatch(db: Executor, chainKey: string, afterSeq: number, recheckMismatches = true): Promise<{ rows: CheckedRow[]; lastSeq: number | null; full: boolean }> {
  const rows = await queryRows<{ id: string; at: string; seq: string; prev_hash: string; hash: string; a: string | null; m: string | null; b: string | null }>(
    db,
    sql`select l.event_id as id, l.event_occurred_at::text as at, l.seq::text as seq, l.prev_hash, l.hash,
          case when e.id is null then null else ${BEFORE} end as a, e.metadata::text as m,
          case when e.id is null then null else ${AFTER} end as b
        from (select * from audit_chain_links where chain_key = ${chainKey} and seq > ${afterSeq} order by seq limit ${VERIFY_BATCH}) l
        -- One primary-key lookup per link (LIMIT keeps the planner from turning it into a hash join
        -- over the whole events table).
        left join lateral (
          select * from audit_events e where e.occurred_at = l.event_occurred_at and e.id = l.event_id limit 1
        ) e on true
        order by l.seq`,
  );
  const out: CheckedRow[] = [];
  for (const r of rows) {
    if (r.a === null || r.m === null || r.b === null) continue; // the event row is gone
    const content = r.a + canonicalJson(JSON.parse(r.m)) + r.b;
    let intact = createHash("sha256").update(`${r.prev_hash}\n${content}`).digest("hex") === r.hash;
    if (!intact && recheckMismatches) intact = await recheck(db, { id: r.id, at: r.at, seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash });
    out.push({ id: r.id, chainSeq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash, intact });
  }
  return { rows: out, lastSeq: rows.length ? Number(rows.at(-1)!.seq) : null, full: rows.length === VERIFY_BATCH };
}

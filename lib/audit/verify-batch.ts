import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
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
    ` ',"actorType":' || ${j("actor_type")} || ',"chainSeq":' || chain_seq || ',"clientId":' || ${j("client_id")} ||` +
    ` ',"grantId":' || ${j("grant_id")} || ',"id":' || ${j("id::text")} || ',"ip":' || ${j("ip")} || ',"metadata":'`,
);
const AFTER = sql.raw(
  `',"occurredAt":"' || to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","onBehalfOfName":' ||` +
    ` ${j("on_behalf_of_name")} || ',"onBehalfOfUserId":' || ${j("on_behalf_of_user_id::text")} || ',"orgId":' || ${j("org_id::text")} ||` +
    ` ',"outcome":' || ${j("outcome")} || ',"requestId":' || ${j("request_id")} || ',"targetId":' || ${j("target_id")} ||` +
    ` ',"targetName":' || ${j("target_name")} || ',"targetType":' || ${j("target_type")} || ',"userAgent":' || ${j("user_agent")} || '}'`,
);

/** Recheck one event with the full encoding in JavaScript (the fast path's verdict is only trusted when it says "intact"). */
async function recheck(db: Executor, orgId: string | null, seq: number, prevHash: string, hash: string): Promise<boolean> {
  const [row] = await db
    .select()
    .from(auditEvents)
    .where(and(orgId ? eq(auditEvents.orgId, orgId) : isNull(auditEvents.orgId), eq(auditEvents.chainSeq, seq), eq(auditEvents.hash, hash)))
    .limit(1);
  return !!row && hashEvent(prevHash, row) === hash;
}

/** One batch of a chain's events after `afterSeq`, in sequence order, each with its hash checked. */
export async function checkedBatch(db: Executor, orgId: string | null, afterSeq: number, recheckMismatches = true): Promise<CheckedRow[]> {
  const rows = await queryRows<{ id: string; seq: string; prev_hash: string; hash: string; a: string; m: string; b: string }>(
    db,
    sql`select id, chain_seq::text as seq, prev_hash, hash, ${BEFORE} as a, metadata::text as m, ${AFTER} as b
        from audit_events
        where ${orgId ? sql`org_id = ${orgId}` : sql`org_id is null`} and chain_seq > ${afterSeq}
        order by chain_seq limit ${VERIFY_BATCH}`,
  );
  const out: CheckedRow[] = [];
  for (const r of rows) {
    const content = r.a + canonicalJson(JSON.parse(r.m)) + r.b;
    let intact = createHash("sha256").update(`${r.prev_hash}\n${content}`).digest("hex") === r.hash;
    if (!intact && recheckMismatches) intact = await recheck(db, orgId, Number(r.seq), r.prev_hash, r.hash);
    out.push({ id: r.id, chainSeq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash, intact });
  }
  return out;
}

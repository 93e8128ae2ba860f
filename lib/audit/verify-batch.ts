import "server-only";
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { auditEvents } from "@/drizzle/schema";
import { type Executor, queryRows } from "@/lib/db";
import { PLATFORM_CHAIN } from "./record";
import { canonicalJson, hashEvent } from "./verify-core.mjs";

export interface CheckedRow {
  id: string;
  chainSeq: number;
  prevHash: string;
  hash: string;
  intact: boolean;
}

export const VERIFY_BATCH = 5000;

// The event's columns as they are (the time also in the ISO form the hash covers: milliseconds, Z);
// the canonical JSON is written here, field by field. Letting Postgres escape and concatenate it
// costs the database more than it saves Node.
const EVENT_COLUMNS = sql.raw(
  `e.id::text as id, e.occurred_at::text as at, to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as iso,` +
    ` e.action, e.actor_id, e.actor_name, e.actor_type, e.client_id, e.grant_id, e.ip, e.metadata::text as m, e.on_behalf_of_name,` +
    ` e.on_behalf_of_user_id::text as obo_id, e.org_id::text as org_id, e.outcome, e.request_id, e.target_id, e.target_name, e.target_type, e.user_agent`,
);

const str = (v: string | null) => (v === null ? "null" : JSON.stringify(v));
/**
 * The event's canonical JSON with the link's sequence number: the same bytes as verify-core.mjs's
 * canonicalEvent (tested), without building the event object first.
 */
const canonical = (e: EventRow, seq: string) =>
  `{"action":${str(e.action)},"actorId":${str(e.actor_id)},"actorName":${str(e.actor_name)},"actorType":${str(e.actor_type)}` +
  `,"chainSeq":${Number(seq)},"clientId":${str(e.client_id)},"grantId":${str(e.grant_id)},"id":${str(e.id)}` +
  `,"ip":${str(e.ip)},"metadata":${canonicalJson(JSON.parse(e.m))},"occurredAt":"${e.iso}"` +
  `,"onBehalfOfName":${str(e.on_behalf_of_name)},"onBehalfOfUserId":${str(e.obo_id)},"orgId":${str(e.org_id)}` +
  `,"outcome":${str(e.outcome)},"requestId":${str(e.request_id)},"targetId":${str(e.target_id)},"targetName":${str(e.target_name)}` +
  `,"targetType":${str(e.target_type)},"userAgent":${str(e.user_agent)}}`;

// One-shot hashing where Node has it (20.12+), else a Hash object per event.
const sha256 =
  typeof (crypto as { hash?: unknown }).hash === "function"
    ? (text: string) => crypto.hash("sha256", text, "hex")
    : (text: string) => crypto.createHash("sha256").update(text).digest("hex");

interface LinkRow {
  id: string;
  at: string;
  seq: string;
  prev_hash: string;
  hash: string;
  lo: string | null;
  hi: string | null;
}
interface EventRow {
  id: string;
  at: string;
  iso: string;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_type: string;
  client_id: string | null;
  grant_id: string | null;
  ip: string | null;
  m: string;
  on_behalf_of_name: string | null;
  obo_id: string | null;
  org_id: string | null;
  outcome: string;
  request_id: string | null;
  target_id: string | null;
  target_name: string | null;
  target_type: string | null;
  user_agent: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The events a chain's links point to, as a condition on audit_events (null: a key no event can have). */
function chainEvents(chainKey: string) {
  if (chainKey === PLATFORM_CHAIN) return sql`e.org_id is null`;
  return UUID.test(chainKey) ? sql`e.org_id = ${chainKey}::uuid` : null;
}

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
 *
 * The events are read with one range scan, not one lookup per link: the chain's events (its org's,
 * or the platform's) between the batch's first and last event time, over the (org_id, occurred_at)
 * index, with the bounds as constants so only their partitions are planned; they are matched to the
 * links here by (occurred_at, id), the primary key the link names. A link whose event the scan did
 * not bring (deleted, or moved to another org or time behind the app's back) is looked up by that
 * primary key, as before, so every verdict is the same as with per-link lookups.
 */
export async function checkedBatch(db: Executor, chainKey: string, afterSeq: number, recheckMismatches = true): Promise<{ rows: CheckedRow[]; lastSeq: number | null; full: boolean }> {
  const links = await queryRows<LinkRow>(
    db,
    sql`select l.event_id::text as id, l.event_occurred_at::text as at, l.seq::text as seq, l.prev_hash, l.hash,
          case when row_number() over (order by l.seq) = 1 then min(l.event_occurred_at) over ()::text end as lo,
          case when row_number() over (order by l.seq) = 1 then max(l.event_occurred_at) over ()::text end as hi
        from (select * from audit_chain_links where chain_key = ${chainKey} and seq > ${afterSeq} order by seq limit ${VERIFY_BATCH}) l
        order by l.seq`,
  );
  if (!links.length) return { rows: [], lastSeq: null, full: false };
  const events = new Map<string, EventRow>();
  const scope = chainEvents(chainKey);
  if (scope) {
    const lo = links[0]!.lo!;
    const hi = links[0]!.hi!;
    const rows = await queryRows<EventRow>(
      db,
      sql`select ${EVENT_COLUMNS} from audit_events e
          where ${scope} and e.occurred_at >= ${lo}::timestamptz and e.occurred_at <= ${hi}::timestamptz`,
    );
    for (const e of rows) events.set(e.id, e);
  }
  // A link names its event by (occurred_at, id): an event with its id at another time is not it.
  const found = (l: LinkRow) => events.get(l.id)?.at === l.at;
  const strays = links.filter((l) => !found(l));
  if (strays.length) {
    // One primary-key lookup per link (LIMIT keeps the planner from turning it into a hash join
    // over the whole events table).
    const rows = await queryRows<EventRow>(
      db,
      sql`select ${EVENT_COLUMNS}
          from unnest(${`{${strays.map((l) => l.id).join(",")}}`}::uuid[], ${`{${strays.map((l) => `"${l.at}"`).join(",")}}`}::timestamptz[]) as k(id, at)
          cross join lateral (select * from audit_events e where e.occurred_at = k.at and e.id = k.id limit 1) e`,
    );
    for (const e of rows) events.set(e.id, e);
  }
  const out: CheckedRow[] = [];
  for (const l of links) {
    const e = events.get(l.id);
    if (!e || e.at !== l.at) continue; // the event row is gone
    let intact = sha256(`${l.prev_hash}\n${canonical(e, l.seq)}`) === l.hash;
    if (!intact && recheckMismatches) intact = await recheck(db, { id: l.id, at: l.at, seq: Number(l.seq), prevHash: l.prev_hash, hash: l.hash });
    out.push({ id: l.id, chainSeq: Number(l.seq), prevHash: l.prev_hash, hash: l.hash, intact });
  }
  return { rows: out, lastSeq: Number(links.at(-1)!.seq), full: links.length === VERIFY_BATCH };
}

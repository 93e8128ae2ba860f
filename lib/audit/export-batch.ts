import "server-only";
import { and, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { auditChainLinks, auditEvents, orgs } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";
import type { AuditCursor } from "./cursor";
import { type AuditFilter, auditWhere } from "./filter";

export type ExportFormat = "csv" | "ndjson";

const t = auditEvents;
/** The chain fields come from the event's link (null while it waits for the sequencer). */
const l = auditChainLinks;
const linkJoin = sql`left join ${l} on ${l.eventId} = ${t.id}`;
const ts = sql<string>`to_char(${t.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Text a spreadsheet would run as a formula (= + - @ tab CR first) gets a leading apostrophe, so
 * opening an export never executes it. `ascii()` reads only the first character: cheap per row.
 */
function neutral(v: SQL): SQL {
  return sql`(case when ascii(${v}) in (61, 43, 45, 64, 9, 13) then '''' || ${v} else ${v} end)`;
}

export const CSV_COLUMNS = [
  "occurred_at_utc",
  "org",
  "chain_seq",
  "actor_type",
  "actor_id",
  "actor_name",
  "on_behalf_of_user_id",
  "on_behalf_of_name",
  "client_id",
  "grant_id",
  "action",
  "target_type",
  "target_id",
  "target_name",
  "outcome",
  "ip",
  "user_agent",
  "request_id",
  "metadata",
  "id",
  "hash",
] as const;

/**
 * The CSV columns as values. On a server Postgres' own CSV writer (COPY … FORMAT csv) quotes them;
 * elsewhere `csvLine` applies the same rules in SQL. Columns that are constraint-checked words,
 * uuids, numbers or hex are left as they are; every other text is neutralized.
 */
const csvValues: SQL[] = [
  sql`(${t.occurredAt} at time zone 'UTC')`,
  neutral(sql`coalesce(${orgs.slug}, ${t.orgId}::text)`),
  sql`${l.seq}`,
  sql`${t.actorType}`,
  neutral(sql`${t.actorId}`),
  neutral(sql`${t.actorName}`),
  sql`${t.onBehalfOfUserId}`,
  neutral(sql`${t.onBehalfOfName}`),
  neutral(sql`${t.clientId}`),
  neutral(sql`${t.grantId}`),
  sql`${t.action}`,
  neutral(sql`${t.targetType}`),
  neutral(sql`${t.targetId}`),
  neutral(sql`${t.targetName}`),
  sql`${t.outcome}`,
  neutral(sql`${t.ip}`),
  neutral(sql`${t.userAgent}`),
  neutral(sql`${t.requestId}`),
  sql`${t.metadata}`,
  sql`${t.id}`,
  sql`${l.hash}`,
];

/**
 * Postgres' CSV output rules for one value: null is empty; the empty string, and text holding a
 * quote, comma, LF or CR, is quoted with quotes doubled; anything else is written as it is.
 */
function csvQuote(v: SQL): SQL {
  const x = sql`(${v})::text`;
  return sql`coalesce(case when ${x} = '' or strpos(${x}, '"') > 0 or strpos(${x}, ',') > 0 or strpos(${x}, E'\\n') > 0 or strpos(${x}, E'\\r') > 0
    then '"' || replace(${x}, '"', '""') || '"' else ${x} end, '')`;
}

/** One CSV line (no line end), byte for byte what COPY … FORMAT csv writes for `csvValues`. */
const csvLine = sql.join(csvValues.map(csvQuote), sql` || ',' || `);

/** The event as the same JSON as `AuditEventDto`, built by Postgres. */
const jsonLine = sql`json_build_object(
  'id', ${t.id}, 'occurredAt', ${ts}, 'orgId', ${t.orgId}, 'orgSlug', ${orgs.slug}, 'orgName', ${orgs.name},
  'chainSeq', ${l.seq}, 'hash', ${l.hash}, 'prevHash', ${l.prevHash},
  'actor', json_build_object('type', ${t.actorType}, 'id', ${t.actorId}, 'name', ${t.actorName}),
  'onBehalfOf', case when ${t.onBehalfOfUserId} is null then null else json_build_object('userId', ${t.onBehalfOfUserId}, 'name', ${t.onBehalfOfName}) end,
  'clientId', ${t.clientId}, 'grantId', ${t.grantId}, 'action', ${t.action},
  'target', case when ${t.targetType} is null and ${t.targetId} is null then null
    else json_build_object('type', coalesce(${t.targetType}, ''), 'id', ${t.targetId}, 'name', ${t.targetName}) end,
  'outcome', ${t.outcome}, 'ip', ${t.ip}, 'userAgent', ${t.userAgent}, 'requestId', ${t.requestId}, 'metadata', ${t.metadata}
)::text`;

/**
 * One keyset batch of export lines (without line endings), newest first, and where the next batch
 * starts; null when this was the last.
 */
export async function fetchExportBatch(
  db: Executor,
  filter: AuditFilter,
  format: ExportFormat,
  after: AuditCursor | null,
  limit: number,
): Promise<{ lines: string[]; next: AuditCursor | null }> {
  const where = auditWhere(filter);
  if (after) {
    const at = sql`${after.ts}::timestamptz`;
    where.push(lte(t.occurredAt, at as never), or(lt(t.occurredAt, at as never), lt(t.id, after.id))!);
  }
  // Pick and order the page first, then format only its rows: formatting before a sort would
  // format every matching row of every batch. The subquery keeps the table's name, so the column
  // references of the line expressions resolve to it.
  const line = format === "csv" ? csvLine : jsonLine;
  const res = await db.execute(sql`
    select ${line} as line, ${ts} as ts, ${t.id} as id
    from (select * from ${t} where ${and(...where)} order by ${t.occurredAt} desc, ${t.id} desc limit ${limit}) as ${t}
    left join ${orgs} on ${orgs.id} = ${t.orgId}
    ${linkJoin}
    order by ${t.occurredAt} desc, ${t.id} desc`);
  const rows = (res as unknown as { rows: { line: string; ts: string; id: string }[] }).rows;
  const last = rows.at(-1);
  return { lines: rows.map((r) => r.line), next: rows.length === limit && last ? { ts: last.ts, id: last.id } : null };
}

/**
 * The whole export as one COPY statement's query, in (time, id) order. CSV: the columns, for
 * `COPY … (FORMAT csv)`. NDJSON: one column holding each line.
 */
export function exportQuery(filter: AuditFilter, format: ExportFormat): SQL {
  const select = format === "csv" ? sql.join(csvValues, sql`, `) : sql`${jsonLine} as line`;
  return sql`select ${select}
    from ${t} left join ${orgs} on ${orgs.id} = ${t.orgId}
    ${linkJoin}
    where ${and(...auditWhere(filter))}
    order by ${t.occurredAt} desc, ${t.id} desc`;
}

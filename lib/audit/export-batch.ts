import "server-only";
import { and, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { auditEvents, orgs } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";
import type { AuditCursor } from "./cursor";
import { type AuditFilter, auditWhere } from "./filter";

export type ExportFormat = "csv" | "ndjson";

const t = auditEvents;
const ts = sql<string>`to_char(${t.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One CSV cell computed by Postgres, with the same rules as `csvCell`: text a spreadsheet would run
 * as a formula (= + - @ tab CR first) gets a leading apostrophe; quotes, commas, line breaks and
 * edge spaces are quoted. Formatting in SQL keeps the export near COPY speed.
 */
function cell(v: SQL): SQL {
  const n = sql`(case when left(${v}, 1) in ('=', '+', '-', '@', E'\\t', E'\\r') then '''' || ${v} else ${v} end)`;
  const needsQuotes = sql`(strpos(${n}, '"') > 0 or strpos(${n}, ',') > 0 or strpos(${n}, E'\\n') > 0 or strpos(${n}, E'\\r') > 0 or ${n} <> btrim(${n}, E' \\t\\n\\r\\f' || chr(11)))`;
  return sql`coalesce(case when ${needsQuotes} then '"' || replace(${n}, '"', '""') || '"' else ${n} end, '')`;
}

/** Always quoted (JSON always holds quotes or commas). */
function quoted(v: SQL): SQL {
  return sql`'"' || replace(${v}, '"', '""') || '"'`;
}

export const CSV_COLUMNS = [
  "occurred_at",
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

const csvLine = sql.join(
  [
    ts,
    cell(sql`coalesce(${orgs.slug}, ${t.orgId}::text)`),
    sql`${t.chainSeq}::text`,
    sql`${t.actorType}`, // checked by a constraint: plain words
    cell(sql`${t.actorId}`),
    cell(sql`${t.actorName}`),
    sql`coalesce(${t.onBehalfOfUserId}::text, '')`,
    cell(sql`${t.onBehalfOfName}`),
    cell(sql`${t.clientId}`),
    cell(sql`${t.grantId}`),
    sql`${t.action}`, // checked by a constraint: dotted lowercase
    cell(sql`${t.targetType}`),
    cell(sql`${t.targetId}`),
    cell(sql`${t.targetName}`),
    sql`${t.outcome}`,
    cell(sql`${t.ip}`),
    cell(sql`${t.userAgent}`),
    cell(sql`${t.requestId}`),
    quoted(sql`${t.metadata}::text`),
    sql`${t.id}::text`,
    cell(sql`${t.hash}`),
  ],
  sql` || ',' || `,
);

/** The event as the same JSON as `AuditEventDto`, built by Postgres. */
const jsonLine = sql`json_build_object(
  'id', ${t.id}, 'occurredAt', ${ts}, 'orgId', ${t.orgId}, 'orgSlug', ${orgs.slug}, 'orgName', ${orgs.name},
  'chainSeq', ${t.chainSeq}, 'hash', ${t.hash}, 'prevHash', ${t.prevHash},
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
    order by ${t.occurredAt} desc, ${t.id} desc`);
  const rows = (res as unknown as { rows: { line: string; ts: string; id: string }[] }).rows;
  const last = rows.at(-1);
  return { lines: rows.map((r) => r.line), next: rows.length === limit && last ? { ts: last.ts, id: last.id } : null };
}

/**
 * The whole export as one query, for a server-side cursor: lines in (time, id) order, formatted
 * as they are fetched.
 */
export function exportQuery(filter: AuditFilter, format: ExportFormat): SQL {
  return sql`select ${format === "csv" ? csvLine : jsonLine} as line
    from ${t} left join ${orgs} on ${orgs.id} = ${t.orgId}
    where ${and(...auditWhere(filter))}
    order by ${t.occurredAt} desc, ${t.id} desc`;
}

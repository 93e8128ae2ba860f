import "server-only";
import { and, eq, is, lt, lte, or, Placeholder, sql } from "drizzle-orm";
import { type AuditActorType, type AuditOutcome, auditChainLinks, auditEvents, orgs } from "@/drizzle/schema";
import { PgTransaction } from "drizzle-orm/pg-core";
import { type Executor, getDatabase, getDb, preparedArrays, queryRows } from "@/lib/db";
import { decodeCursor, encodeCursor } from "./cursor";
import type { AuditEventDto } from "./event-dto";
import { asValue, type AuditBind, type AuditFilter, auditWhere } from "./filter";

export type { AuditFilter, AuditOrgScope } from "./filter";

export type { AuditEventDto } from "./event-dto";

export interface AuditPage {
  events: AuditEventDto[];
  /** Pass back to get the next (older) page; null at the end. */
  nextCursor: string | null;
}

export const MAX_PAGE = 1000;
const t = auditEvents;
/** Exact time as text, so the cursor keeps Postgres' microseconds (a JS Date would drop them). */
const tsText = sql<string>`to_char(${t.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const auditSelection = {
  ts: tsText,
  id: t.id,
  orgId: t.orgId,
  orgSlug: orgs.slug,
  orgName: orgs.name,
  chainSeq: auditChainLinks.seq,
  hash: auditChainLinks.hash,
  prevHash: auditChainLinks.prevHash,
  actorType: t.actorType,
  actorId: t.actorId,
  actorName: t.actorName,
  onBehalfOfUserId: t.onBehalfOfUserId,
  onBehalfOfName: t.onBehalfOfName,
  clientId: t.clientId,
  grantId: t.grantId,
  action: t.action,
  targetType: t.targetType,
  targetId: t.targetId,
  targetName: t.targetName,
  outcome: t.outcome,
  ip: t.ip,
  userAgent: t.userAgent,
  requestId: t.requestId,
  metadata: t.metadata,
};

type Row = Parameters<typeof toAuditEventDto>[0];
const SELECTED = Object.keys(auditSelection) as (keyof Row)[];

/** A row of the page statement (its columns in auditSelection's order, as drizzle builds it) by name. */
function rowOf(values: unknown[]): Row {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < SELECTED.length; i++) row[SELECTED[i]!] = values[i];
  return row as unknown as Row;
}

/** Map a selected row to the public DTO. */
export function toAuditEventDto(r: {
  ts: string;
  id: string;
  orgId: string | null;
  orgSlug: string | null;
  orgName: string | null;
  chainSeq: number | null;
  hash: string | null;
  prevHash: string | null;
  actorType: AuditActorType;
  actorId: string | null;
  actorName: string | null;
  onBehalfOfUserId: string | null;
  onBehalfOfName: string | null;
  clientId: string | null;
  grantId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
}): AuditEventDto {
  return {
    id: r.id,
    occurredAt: r.ts,
    orgId: r.orgId,
    orgSlug: r.orgSlug,
    orgName: r.orgName,
    chainSeq: r.chainSeq === null ? null : Number(r.chainSeq),
    hash: r.hash,
    prevHash: r.prevHash,
    actor: { type: r.actorType, id: r.actorId, name: r.actorName },
    onBehalfOf: r.onBehalfOfUserId ? { userId: r.onBehalfOfUserId, name: r.onBehalfOfName } : null,
    clientId: r.clientId,
    grantId: r.grantId,
    action: r.action,
    target: r.targetType || r.targetId ? { type: r.targetType ?? "", id: r.targetId, name: r.targetName } : null,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
    metadata: r.metadata ?? {},
  };
}

/**
 * The explorer's order, newest first. NULLS LAST because that is how every audit_events index
 * stores (occurred_at desc, id desc) (drizzle's `.desc()`): plain `desc` means NULLS FIRST, which
 * no explorer index provides, so Postgres would read every match and Sort them (the columns are
 * NOT NULL, but the planner does not use that to match an index's order).
 */
export const auditOrder = [sql`${t.occurredAt} desc nulls last`, sql`${t.id} desc nulls last`];

/**
 * The page statement's name, from the shape of its filter: which conditions auditWhere adds and
 * whether a cursor bounds it (values are bound parameters, the outcome excepted, which is written in:
 * so equal shapes are equal SQL). Named without building the SQL a second time just to hash it;
 * query.test.ts checks that each shape has one SQL text and different shapes different ones.
 */
export function pageStatementName(filter: AuditFilter, cursor: string | null | undefined): string {
  const action = filter.action?.trim();
  return [
    "audit_page_",
    typeof filter.orgId === "string" ? "o" : "x",
    filter.actorId ? "a" : "",
    filter.actorType ? "t" : "",
    filter.clientId ? "c" : "",
    filter.onBehalfOfUserId ? "b" : "",
    filter.targetId ? "g" : "",
    // The outcome is a literal in the statement (filter.ts): one statement per value.
    filter.outcome ? `r${filter.outcome[0]}` : "",
    // An exact action, a namespace (`member.*`) or a deeper prefix (`oauth.token.*`, also a LIKE).
    !action ? "" : !action.endsWith(".*") ? "e" : action.slice(0, -2).includes(".") ? "pl" : "p",
    filter.text?.trim() ? "q" : "",
    filter.from ? "f" : "",
    filter.to ? "u" : "",
    cursor ? "k" : "",
  ].join("");
}

/**
 * Search audit events, newest first, one page at a time. Keyset pagination on (occurred_at desc,
 * id desc) — never OFFSET — so a deep page costs what the first one does and rows written while
 * paging neither shift nor repeat pages. The cursor is opaque; a malformed one is a 400.
 *
 * Every filter is an index scan already in that order (no Sort: query-plans.test.ts), and the
 * statement is a named prepared statement per filter shape: on a server, planning a query over
 * every monthly partition costs more than running it, and a kept plan skips that.
 */
export async function searchAuditEvents(
  filter: AuditFilter,
  page: { limit: number; cursor?: string | null },
  db?: Executor,
): Promise<AuditPage> {
  const limit = Math.min(Math.max(Math.trunc(page.limit) || 1, 1), MAX_PAGE);
  const statement = pageStatement(filter, { limit, cursor: page.cursor });
  const rows = await inIndexOrder(db, async (ex) => (await preparedArrays(ex, statement.name, statement)).map(rowOf));
  const more = rows.length > limit;
  const events = (more ? rows.slice(0, limit) : rows).map(toAuditEventDto);
  const last = events.at(-1);
  return { events, nextCursor: more && last ? encodeCursor({ ts: last.occurredAt, id: last.id }) : null };
}

/**
 * Run `fn` where the planner may not Sort, so the page comes from an index already in order: the
 * process database's ordered-reads pool on a server (one round trip, kept generic plans); else, on
 * PGlite or a given handle, `enable_sort` off for this transaction only.
 */
export async function inIndexOrder<T>(db: Executor | undefined, fn: (ex: Executor) => Promise<T>): Promise<T> {
  if (!db) {
    const database = getDatabase();
    if (database.orderedReads) return fn(database.orderedReads);
    db = database.db;
  }
  if (db instanceof PgTransaction) {
    const tx = db;
    const [prev] = await queryRows<{ v: string }>(tx, sql`select current_setting('enable_sort') as v, set_config('enable_sort', 'off', true)`);
    try {
      return await fn(tx);
    } finally {
      await tx.execute(sql`select set_config('enable_sort', ${prev?.v ?? "on"}, true)`);
    }
  }
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_sort = off`);
    return fn(tx);
  });
}

/** Each page statement's text, and which named value goes in each of its parameters, by statement name. */
const pageStatements = new Map<string, { sql: string; slots: string[] }>();

/**
 * The page statement for a filter: its name, its text and its values. The text is built once per
 * shape (drizzle's builder costs more CPU than Postgres spends running the kept plan of a page) from
 * the query with a placeholder for every value; later pages of that shape only gather their values.
 * A shape has one text (query.test.ts), so the first one built serves them all.
 */
export function pageStatement(filter: AuditFilter, page: { limit: number; cursor?: string | null }) {
  const name = pageStatementName(filter, page.cursor);
  const values: Record<string, unknown> = {};
  const bind = (key: string, value: unknown) => {
    values[key] = value;
    return sql.placeholder(key);
  };
  let built = pageStatements.get(name);
  if (!built) {
    const query = buildPageQuery(filter, page, getDb(), bind).toSQL();
    const slots = query.params.map((p) => {
      // Every value a placeholder: a value written in here would be reused for other filters of the shape.
      if (!is(p, Placeholder)) throw new Error(`audit page statement ${name}: a parameter that is not a placeholder`);
      return (p as Placeholder).name;
    });
    pageStatements.set(name, (built = { sql: query.sql, slots }));
  } else {
    // Gathers the values (and checks them: a malformed cursor or action throws here as it would building).
    auditWhere(filter, bind);
    if (page.cursor) cursorBounds(page.cursor, bind);
    bind("limit", page.limit + 1);
  }
  return { name, sql: built.sql, params: built.slots.map((slot) => values[slot]) };
}

/** The statement behind one explorer page (`limit + 1` rows, to tell whether there is more), values bound. Exported for the tests. */
export function auditPageQuery(filter: AuditFilter, page: { limit: number; cursor?: string | null }, db: Executor = getDb()) {
  return buildPageQuery(filter, page, db);
}

/** The keyset bounds after a cursor: the first is an index condition; the second breaks ties within one microsecond. */
function cursorBounds(cursor: string, bind: AuditBind) {
  const c = decodeCursor(cursor);
  const ts = sql`${bind("cursorTs", c.ts)}::timestamptz`;
  const id = bind("cursorId", c.id) as string;
  return [lte(t.occurredAt, ts as never), or(lt(t.occurredAt, ts as never), lt(t.id, id))!];
}

function buildPageQuery(filter: AuditFilter, page: { limit: number; cursor?: string | null }, db: Executor, bind: AuditBind = asValue) {
  const where = auditWhere(filter, bind);
  if (page.cursor) where.push(...cursorBounds(page.cursor, bind));
  return db
    .select(auditSelection)
    .from(t)
    .leftJoin(orgs, eq(orgs.id, t.orgId))
    .leftJoin(auditChainLinks, eq(auditChainLinks.eventId, t.id))
    .where(and(...where))
    .orderBy(...auditOrder)
    .limit(bind("limit", page.limit + 1) as number);
}

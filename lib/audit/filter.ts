import "server-only";
import { eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import type { AuditActorType, AuditOutcome } from "@/drizzle/schema";
import { AUDIT_OUTCOMES, auditEvents } from "@/drizzle/schema";
import { invalidInput } from "@/lib/errors";

/**
 * Which org's events a search may see. Tenant-scoped callers always pass their org id (from the
 * session or token). `{ allOrgs: true }` is for platform support staff only, and must never be
 * built from request input.
 */
export type AuditOrgScope = string | { allOrgs: true };

/** What to search for. Every field but `orgId` is optional; fields combine with AND. */
export interface AuditFilter {
  orgId: AuditOrgScope;
  /** The acting user, agent or key id (`actor_id`). */
  actorId?: string | null;
  actorType?: AuditActorType | null;
  /** The OAuth client (agent) the event came through. */
  clientId?: string | null;
  onBehalfOfUserId?: string | null;
  /** An exact action (`member.invited`) or a namespace prefix (`member.*`, `oauth.token.*`). */
  action?: string | null;
  outcome?: AuditOutcome | null;
  targetId?: string | null;
  /** Free text over display fields (names, action, client, target, request id, IP); case-insensitive. */
  text?: string | null;
  /** Inclusive lower bound on `occurred_at`. */
  from?: Date | null;
  /** Exclusive upper bound on `occurred_at`. */
  to?: Date | null;
}

const ACTION_EXACT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const ACTION_PREFIX = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.\*$/;

/** Escape LIKE wildcards so user text matches literally. */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Whether a filter is scoped to one org (the only kind tenant callers may build). */
export function isSingleOrg(scope: AuditOrgScope): scope is string {
  return typeof scope === "string";
}

/**
 * How a condition's value goes into the statement: by default as itself (a bound parameter); the
 * explorer's page statement passes a function that records the value under its name and puts a
 * placeholder in its place, so one built text serves every filter of that shape (query.ts). A value
 * is handed over as the driver takes it (a time as ISO text), since a placeholder skips the column's
 * own conversion.
 */
export type AuditBind = (name: string, value: string | number) => unknown;
export const asValue: AuditBind = (_name, value) => value;

/**
 * The WHERE conditions for a filter, shaped so each documented filter matches an index whose
 * trailing columns are (occurred_at desc, id desc): see drizzle/schema.ts (auditEvents indexes).
 * Action namespaces use the `split_part(action, '.', 1)` expression index.
 */
export function auditWhere(filter: AuditFilter, bind: AuditBind = asValue): SQL[] {
  const t = auditEvents;
  // Typed as the column's value for drizzle; a placeholder when `bind` makes one.
  const v = (name: string, value: string) => bind(name, value) as string;
  const where: SQL[] = [];
  if (isSingleOrg(filter.orgId)) {
    if (!filter.orgId) throw new Error("audit search needs an org id or { allOrgs: true }");
    where.push(eq(t.orgId, v("org", filter.orgId)));
  } else if (filter.orgId?.allOrgs !== true) {
    throw new Error("audit search needs an org id or { allOrgs: true }");
  }
  if (filter.actorId) where.push(eq(t.actorId, v("actor", filter.actorId)));
  if (filter.actorType) where.push(eq(t.actorType, v("actorType", filter.actorType) as AuditActorType));
  if (filter.clientId) where.push(eq(t.clientId, v("client", filter.clientId)));
  if (filter.onBehalfOfUserId) where.push(eq(t.onBehalfOfUserId, v("obo", filter.onBehalfOfUserId)));
  if (filter.targetId) where.push(eq(t.targetId, v("target", filter.targetId)));
  // The outcome is written into the statement, not bound: its values are far from even (nearly every
  // event succeeds), and a statement's kept generic plan cannot tell a rare `denied` from `success`; it
  // walked the org's time index filtering, where the outcome index finds the few. Three values, three plans.
  if (filter.outcome) where.push(eq(t.outcome, sql.raw(`'${outcomeValue(filter.outcome)}'`)));
  if (filter.action) {
    const a = filter.action.trim();
    if (ACTION_EXACT.test(a)) {
      where.push(eq(t.action, v("action", a)));
    } else if (ACTION_PREFIX.test(a)) {
      const prefix = a.slice(0, -2);
      const [ns] = prefix.split(".");
      where.push(sql`split_part(${t.action}, '.', 1) = ${v("namespace", ns!)}`);
      if (prefix.includes(".")) where.push(sql`${t.action} like ${v("actionLike", `${likeLiteral(prefix)}.%`)}`);
    } else {
      throw invalidInput('The action must look like "member.invited" or "member.*".', { action: "invalid" });
    }
  }
  if (filter.text?.trim()) {
    const pattern = v("text", `%${likeLiteral(filter.text.trim().slice(0, 200))}%`);
    where.push(
      or(
        sql`${t.actorName} ilike ${pattern}`,
        sql`${t.onBehalfOfName} ilike ${pattern}`,
        sql`${t.targetName} ilike ${pattern}`,
        sql`${t.action} ilike ${pattern}`,
        sql`${t.clientId} ilike ${pattern}`,
        sql`${t.targetId} ilike ${pattern}`,
        sql`${t.actorId} ilike ${pattern}`,
        sql`${t.requestId} ilike ${pattern}`,
        sql`${t.ip} ilike ${pattern}`,
      )!,
    );
  }
  // Times as ISO text, cast in the statement (the same text whether the value is bound or a placeholder).
  const time = (name: string, at: Date) => sql`${bind(name, at.toISOString())}::timestamptz`;
  if (filter.from) where.push(gte(t.occurredAt, time("from", filter.from)));
  if (filter.to) where.push(lt(t.occurredAt, time("to", filter.to)));
  return where;
}

/** An outcome known to the schema, to be written into a statement as a literal (anything else throws). */
function outcomeValue(outcome: AuditOutcome): AuditOutcome {
  if (!AUDIT_OUTCOMES.includes(outcome)) throw invalidInput("Unknown outcome.", { outcome: "invalid" });
  return outcome;
}

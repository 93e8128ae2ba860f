import "server-only";
import { and, eq, ilike, or } from "drizzle-orm";
import { oauthClients, users } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { invalidInput } from "@/lib/errors";
import type { AuditFilter, AuditOrgScope } from "./filter";
import { type AuditFilterParams, timeBounds } from "./filter-params";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user given by id, email or exact name; a value that names no user matches nothing. */
async function resolveUser(value: string, db: Executor): Promise<string> {
  if (UUID.test(value)) return value.toLowerCase();
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(value.includes("@") ? eq(users.email, value.toLowerCase()) : ilike(users.name, value.replace(/[\\%_]/g, "\\$&")))
    .limit(1);
  // An actor id may also be an agent or key id that is no user at all: keep the literal.
  return u?.id ?? value;
}

/** The shape of the ids Gatehouse gives clients (`gh_` registered in the console, `ghd_` by DCR). */
const CLIENT_ID = /^ghd?_[A-Za-z0-9_-]{24}$/;

/**
 * A client given by id or by its registered name (within the searched org when there is one). An id
 * is used as it is, without a lookup: found or not, the lookup would answer the same id.
 */
export async function resolveClient(value: string, scope: AuditOrgScope, db: Executor = getDb()): Promise<string> {
  if (CLIENT_ID.test(value)) return value;
  const byName = ilike(oauthClients.name, value.replace(/[\\%_]/g, "\\$&"));
  const [c] = await db
    .select({ id: oauthClients.id })
    .from(oauthClients)
    .where(and(or(eq(oauthClients.id, value), byName), typeof scope === "string" ? eq(oauthClients.orgId, scope) : undefined))
    .limit(1);
  return c?.id ?? value;
}

/**
 * Turn validated URL params into a query filter for `scope`. The scope is the caller's, decided by
 * the route (session org, or a support access grant); nothing in `params` can change it.
 */
export async function resolveFilter(params: AuditFilterParams, scope: AuditOrgScope, db: Executor = getDb(), now = Date.now()): Promise<AuditFilter> {
  const { from, to } = timeBounds(params, now);
  if (from && to && from >= to) throw invalidInput("The start of the time range must be before its end.", { from: "after end" });
  return {
    orgId: scope,
    actorId: params.actor ? await resolveUser(params.actor, db) : null,
    actorType: params.actorType ?? null,
    clientId: params.client ? await resolveClient(params.client, scope, db) : null,
    onBehalfOfUserId: params.obo ? await resolveOboUser(params.obo, db) : null,
    action: params.action ?? null,
    outcome: params.outcome ?? null,
    targetId: params.target ?? null,
    text: params.q ?? null,
    from,
    to,
  };
}

/** On-behalf-of is always a user id column: a value naming no user can match nothing. */
async function resolveOboUser(value: string, db: Executor): Promise<string> {
  const id = await resolveUser(value, db);
  // A uuid column compared with a non-uuid would be a 400 from Postgres; use an id no row has.
  return UUID.test(id) ? id : "00000000-0000-0000-0000-000000000000";
}

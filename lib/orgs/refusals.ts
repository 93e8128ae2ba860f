import "server-only";
import { sql } from "drizzle-orm";
import { type AuditActor, recordAudit } from "@/lib/audit/record";
import { getDb, queryRows } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";

export type RefusalAction = "access.denied" | "rate_limit.hit";

export interface Refusal {
  /** The org whose log gets the event: from the session's membership or the token, never the request. */
  orgId: string;
  action: RefusalAction;
  actor: AuditActor & { id: string };
  onBehalfOf?: { userId: string; name?: string | null } | null;
  clientId?: string | null;
  grantId?: string | null;
  /** A route pattern (ids replaced), so enumerating ids still counts as one route. */
  route: string;
  status: number;
  reason: string;
  context: RequestContext;
}

/**
 * A refused request is evidence: count it per (org, actor, route, minute) in one atomic upsert, and
 * only the first refusal of that minute writes an `access.denied` / `rate_limit.hit` audit event,
 * so a flood of refusals costs the log one event per actor, route and minute. The running count
 * stays in `access_refusals` (see {@link refusalCounts}). Never throws: a failure to record must
 * not turn a 403 into a 500.
 */
export async function recordRefusal(r: Refusal): Promise<void> {
  try {
    await getDb().transaction(async (tx) => {
      const actorKey = `${r.actor.type}:${r.actor.id}`;
      const [row] = await queryRows<{ count: number }>(tx, sql`
        insert into access_refusals (org_id, actor_key, route, minute, action)
        values (${r.orgId}, ${actorKey}, ${r.route}, date_trunc('minute', now()), ${r.action})
        on conflict (org_id, actor_key, route, minute)
        do update set count = access_refusals.count + 1, last_at = now()
        returning count`);
      if (Number(row?.count) !== 1) return;
      await recordAudit(tx, {
        orgId: r.orgId,
        actor: r.actor,
        onBehalfOf: r.onBehalfOf ?? null,
        clientId: r.clientId ?? null,
        grantId: r.grantId ?? null,
        action: r.action,
        outcome: "denied",
        target: { type: "route", id: r.route, name: r.route },
        context: r.context,
        metadata: { route: r.route, status: r.status, reason: r.reason, aggregated: "first refusal of the minute; later ones are counted in access_refusals" },
      });
    });
  } catch (err) {
    console.error("[refusals] could not record", err);
  }
}

/** How many refusals each (actor, route, minute) of an org had, newest first. */
export async function refusalCounts(orgId: string, limit = 100) {
  return queryRows<{ actor_key: string; route: string; minute: Date; action: string; count: number }>(getDb(), sql`
    select actor_key, route, minute, action, count from access_refusals
    where org_id = ${orgId} order by minute desc, count desc limit ${limit}`);
}

const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{20,}|\d+)$/i;

/** `GET /api/orgs/xcorp/members/<uuid>` → `GET /api/orgs/[slug]/members/[id]`. */
export function routePattern(method: string, pathname: string): string {
  const parts = pathname.split("/").map((seg, i, all) =>
    all[i - 1] === "orgs" && all[i - 2] === "api" ? "[slug]" : ID_SEGMENT.test(seg) ? "[id]" : seg,
  );
  return `${method} ${parts.join("/").slice(0, 200)}`;
}

// Bench data for the audit explorer: realistic events across many orgs, actors and agents, written
// with one generate_series statement per chunk. Not chained (bench databases only): real chains for
// the verification bench come from _audit-chain-seed.ts.
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";

export const BENCH_ACTIONS = [
  "login.succeeded", "login.succeeded", "login.succeeded", "login.failed", "session.revoked",
  "member.invited", "member.added", "member.removed", "member.role_changed", "invitation.created",
  "invitation.accepted", "role.created", "role.permissions_changed", "org.settings_changed",
  "oauth.consent_granted", "oauth.token.issued", "oauth.token.issued", "oauth.token.refreshed",
  "oauth.grant_revoked", "mcp.tool_called", "mcp.tool_called", "mcp.tool_called", "mcp.tool_called", "api_key.created",
];

/** Deterministic org ids: `md5('bench-org-' || k)::uuid`. */
export async function createBenchOrgs(db: Db, n: number) {
  await db.execute(sql`
    insert into orgs (id, slug, name, role_mapping_id)
    select md5('bench-org-' || k)::uuid, 'bench-' || k, 'Bench org ' || k, (select id from role_mappings order by name limit 1)
    from generate_series(0, ${n - 1}::int) k
    on conflict do nothing`);
}

/**
 * Insert `rows` events ending now and spread over `days`: `hotShare` of them in the hot org, the
 * rest spread over `orgs` bench orgs. 25% agent events (3 clients per org, on behalf of one of
 * 50 users), 50 users per org, 95% success.
 */
export async function seedBenchEvents(
  db: Db,
  opts: { rows: number; orgs: number; hotOrgId: string; hotShare: number; days: number; chunk?: number; onProgress?: (done: number) => void },
) {
  const chunk = opts.chunk ?? 250_000;
  const actions = `{${BENCH_ACTIONS.join(",")}}`;
  for (let start = 0; start < opts.rows; start += chunk) {
    const end = Math.min(start + chunk, opts.rows) - 1;
    await db.execute(sql`
      insert into audit_events (id, occurred_at, org_id, actor_type, actor_id, actor_name,
        on_behalf_of_user_id, on_behalf_of_name, client_id, grant_id, action, target_type, target_id, target_name,
        outcome, ip, user_agent, request_id, metadata)
      select
        gen_random_uuid(),
        now() - (g::float8 / ${opts.rows}::float8) * make_interval(days => ${opts.days}::int) - r.j * interval '1 minute',
        o.org,
        case when r.agent then 'agent' else 'user' end,
        case when r.agent then o.client else md5(o.org::text || 'user' || r.u)::uuid::text end,
        case when r.agent then 'Agent ' || r.c else 'User ' || r.u end,
        case when r.agent then md5(o.org::text || 'user' || r.u2)::uuid end,
        case when r.agent then 'User ' || r.u2 end,
        case when r.agent then o.client end,
        case when r.agent then md5(o.client || r.u2)::uuid::text end,
        (${actions}::text[])[1 + floor(r.a * ${BENCH_ACTIONS.length}::int)::int],
        case when r.t < 0.5 then 'report' end,
        case when r.t < 0.5 then 'doc-' || floor(r.t * 2000)::int end,
        case when r.t < 0.5 then 'Report ' || floor(r.t * 2000)::int end,
        case when r.x < 0.95 then 'success' when r.x < 0.99 then 'failure' else 'denied' end,
        '10.' || (g % 250) || '.' || (g % 7) || '.1',
        'Mozilla/5.0 bench',
        md5(g::text),
        jsonb_build_object('n', g)
      from generate_series(${start}::int, ${end}::int) g
      cross join lateral (
        select random() + g * 0 as o1, random() < 0.25 as agent, floor(random() * 50)::int as u, floor(random() * 50)::int as u2,
               floor(random() * 3)::int as c, random() as a, random() as t, random() as x, random() * 30 as j
      ) r
      cross join lateral (
        select case when r.o1 < ${opts.hotShare}::float8 then ${opts.hotOrgId}::uuid
                    else md5('bench-org-' || floor((r.o1 - ${opts.hotShare}::float8) / (1 - ${opts.hotShare}::float8) * ${opts.orgs}::int)::int)::uuid end as org
      ) o0
      cross join lateral (select o0.org, 'client-' || left(o0.org::text, 8) || '-' || r.c as client) o`);
    opts.onProgress?.(end + 1);
  }
}

// Bench data for the audit explorer: realistic events across many orgs, actors and agents, written
// with one generate_series statement per chunk. Hashes are synthetic (bench databases only).
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

/** Each column's value for row `g` of the bench load (the lateral `r` and `o` rows give the randomness). */
function columnExpressions(rows: number, days: number): Record<string, string> {
  return {
    id: "gen_random_uuid()",
    occurred_at: `now() - (g::float8 / ${rows}::float8) * make_interval(days => ${days}) - r.j * interval '1 minute'`,
    org_id: "o.org",
    actor_type: "case when r.agent then 'agent' else 'user' end",
    actor_id: "case when r.agent then o.client else md5(o.org::text || 'user' || r.u)::uuid::text end",
    actor_name: "case when r.agent then 'Agent ' || r.c else 'User ' || r.u end",
    on_behalf_of_user_id: "case when r.agent then md5(o.org::text || 'user' || r.u2)::uuid end",
    on_behalf_of_name: "case when r.agent then 'User ' || r.u2 end",
    client_id: "case when r.agent then o.client end",
    grant_id: "case when r.agent then md5(o.client || r.u2)::uuid::text end",
    action: `('{${BENCH_ACTIONS.join(",")}}'::text[])[1 + floor(r.a * ${BENCH_ACTIONS.length})::int]`,
    target_type: "case when r.t < 0.5 then 'report' end",
    target_id: "case when r.t < 0.5 then 'doc-' || floor(r.t * 2000)::int end",
    target_name: "case when r.t < 0.5 then 'Report ' || floor(r.t * 2000)::int end",
    outcome: "case when r.x < 0.95 then 'success' when r.x < 0.99 then 'failure' else 'denied' end",
    ip: "'10.' || (g % 250) || '.' || (g % 7) || '.1'",
    user_agent: "'Mozilla/5.0 bench'",
    request_id: "md5(g::text)",
    metadata: "jsonb_build_object('n', g)",
    // Chain columns, only where the table still has them (before the chain moved to its own table):
    // placeholders, the bench events are not chained.
    chain_seq: "g + 1",
    prev_hash: "md5(g::text) || md5((g + 1)::text)",
    hash: "md5((g + 1)::text) || md5(g::text)",
  };
}

type SeedDb = Pick<Db, "execute" | "transaction">;
const rowsOf = async <T>(db: SeedDb, q: string) => ((await db.execute(sql.raw(q))) as unknown as { rows: T[] }).rows;

/** Run `tasks` with at most `parallel` in flight (each on its own pooled connection). */
async function inParallel(parallel: number, tasks: (() => Promise<void>)[]) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(parallel, tasks.length)) }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}

/**
 * Insert `rows` events ending now and spread over `days`: `hotShare` of them in the hot org, the
 * rest spread over `orgs` bench orgs. 25% agent events (3 clients per org, on behalf of one of
 * 50 users), 50 users per org, 95% success.
 *
 * Fast path for big loads: the secondary indexes of audit_events are dropped first and rebuilt
 * after the load (several at once), and the rows are generated in SQL by `generate_series` in
 * chunks over `parallel` connections (`db` must be a pool at least that big). The column list is
 * read from information_schema, so the load fits the table as it is (with or without the chain
 * columns); a NOT NULL column without a default that this seeder does not know is an error.
 */
export async function seedBenchEvents(
  db: SeedDb,
  opts: {
    rows: number;
    orgs: number;
    hotOrgId: string;
    hotShare: number;
    days: number;
    chunk?: number;
    parallel?: number;
    onProgress?: (done: number) => void;
    onPhase?: (phase: string) => void;
  },
) {
  const chunk = opts.chunk ?? 200_000;
  const parallel = opts.parallel ?? 1;
  const exprs = columnExpressions(opts.rows, opts.days);
  const cols = await rowsOf<{ column_name: string; is_nullable: string; column_default: string | null }>(
    db,
    `select column_name, is_nullable, column_default from information_schema.columns
     where table_schema = current_schema() and table_name = 'audit_events' order by ordinal_position`,
  );
  const unknown = cols.filter((c) => !(c.column_name in exprs) && c.is_nullable === "NO" && c.column_default === null);
  if (unknown.length) throw new Error(`bench seed: audit_events has required columns it cannot fill: ${unknown.map((c) => c.column_name).join(", ")}`);
  const names = cols.map((c) => c.column_name).filter((c) => c in exprs);
  const list = names.map((c) => `"${c}"`).join(", ");
  const values = names.map((c) => exprs[c]).join(",\n        ");

  // Secondary indexes off during the load (the primary key stays: it backs the partitions' uniqueness).
  const indexes = await rowsOf<{ name: string; def: string }>(
    db,
    `select i.relname as name, pg_get_indexdef(i.oid) as def
     from pg_index x join pg_class i on i.oid = x.indexrelid
     where x.indrelid = 'audit_events'::regclass and not x.indisprimary order by i.relname`,
  );
  opts.onPhase?.(`dropping ${indexes.length} secondary indexes for the load`);
  for (const ix of indexes) await db.execute(sql.raw(`drop index if exists "${ix.name}"`));

  let done = 0;
  const tasks: (() => Promise<void>)[] = [];
  for (let start = 0; start < opts.rows; start += chunk) {
    const end = Math.min(start + chunk, opts.rows) - 1;
    tasks.push(async () => {
      await db.execute(
        sql.raw(`
      insert into audit_events (${list})
      select
        ${values}
      from generate_series(${start}, ${end}) g
      cross join lateral (
        select random() + g * 0 as o1, random() < 0.25 as agent, floor(random() * 50)::int as u, floor(random() * 50)::int as u2,
               floor(random() * 3)::int as c, random() as a, random() as t, random() as x, random() * 30 as j
      ) r
      cross join lateral (
        select case when r.o1 < ${opts.hotShare}::float8 then '${opts.hotOrgId}'::uuid
                    else md5('bench-org-' || floor((r.o1 - ${opts.hotShare}::float8) / (1 - ${opts.hotShare}::float8) * ${opts.orgs})::int)::uuid end as org
      ) o0
      cross join lateral (select o0.org, 'client-' || left(o0.org::text, 8) || '-' || r.c as client) o`),
      );
      done += end - start + 1;
      opts.onProgress?.(done);
    });
  }
  await inParallel(parallel, tasks);

  opts.onPhase?.(`building ${indexes.length} indexes (${parallel} at a time)`);
  await inParallel(
    parallel,
    indexes.map((ix) => async () => {
      await db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set local maintenance_work_mem = '256MB'`));
        await tx.execute(sql.raw(ix.def.replace(" ON ONLY ", " ON ")));
      });
    }),
  );
}

/** Deterministic ids of the orgs whose chains `seedChainedEvents` writes: `md5('verify-org-' || k)::uuid`. */
export async function createVerifyOrgs(db: Db, n: number): Promise<string[]> {
  const res = await db.execute(sql`
    insert into orgs (id, slug, name, role_mapping_id)
    select md5('verify-org-' || k)::uuid, 'verify-' || k, 'Verify org ' || k, (select id from role_mappings order by name limit 1)
    from generate_series(0, ${n - 1}::int) k
    on conflict do nothing
    returning id`);
  return (res as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
}

/**
 * Write `perChain` events to each org of `orgIds` as real hash chains, in SQL: a recursive CTE
 * builds each event's canonical JSON (keys in sorted order, as lib/audit/verify-core.mjs encodes
 * them) and links it with sha256 to the previous one, all chains advancing together; then the
 * heads. The result verifies like events written by recordAudit.
 */
export async function seedChainedEvents(db: Db, opts: { orgIds: string[]; perChain: number }) {
  const orgs = `{${opts.orgIds.join(",")}}`;
  const actions = `{${BENCH_ACTIONS.join(",")}}`;
  await db.execute(sql`
    with recursive base as (select date_trunc('milliseconds', now() - interval '3 days') as t0),
    chain (org, s, prev, hash, at, action) as (
      select org, 0::bigint, repeat('0', 64), repeat('0', 64), null::timestamptz, null::text
      from unnest(${orgs}::uuid[]) as org
      union all
      select c.org, c.s + 1, c.hash,
        encode(sha256(convert_to(c.hash || E'\\n' || '{"action":' || to_json(x.action)::text
          || ',"actorId":"u' || (c.s + 1) % 50 || '","actorName":"User ' || (c.s + 1) % 50 || '","actorType":"user","chainSeq":' || (c.s + 1)
          || ',"clientId":null,"grantId":null,"id":"' || md5(c.org::text || (c.s + 1))::uuid || '","ip":"10.0.0.' || (c.s + 1) % 250
          || '","metadata":{"n":' || (c.s + 1) || '},"occurredAt":"' || to_char(x.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
          || '","onBehalfOfName":null,"onBehalfOfUserId":null,"orgId":"' || c.org || '","outcome":"success","requestId":"' || md5((c.s + 1)::text)
          || '","targetId":null,"targetName":null,"targetType":null,"userAgent":"bench"}', 'UTF8')), 'hex'),
        x.at, x.action
      from chain c
      cross join lateral (
        select (select t0 from base) + (c.s + 1) * interval '1 millisecond' as at,
               (${actions}::text[])[1 + ((c.s + 1) % ${BENCH_ACTIONS.length}::int)] as action
      ) x
      where c.s < ${opts.perChain}::bigint
    ),
    written as (
      insert into audit_events (id, occurred_at, org_id, chain_seq, prev_hash, hash, actor_type, actor_id, actor_name, action,
        outcome, ip, user_agent, request_id, metadata)
      select md5(org::text || s)::uuid, at, org, s, prev, hash, 'user', 'u' || s % 50, 'User ' || s % 50, action,
        'success', '10.0.0.' || s % 250, 'bench', md5(s::text), jsonb_build_object('n', s)
      from chain where s > 0
      returning org_id, chain_seq, hash, occurred_at
    )
    insert into audit_chain_heads (chain_key, last_seq, last_hash, updated_at)
    select distinct on (org_id) org_id::text, chain_seq, hash, occurred_at from written order by org_id, chain_seq desc
    on conflict (chain_key) do update set last_seq = excluded.last_seq, last_hash = excluded.last_hash, updated_at = excluded.updated_at`);
}

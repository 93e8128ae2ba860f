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
      -- Client ids of the shape Gatehouse gives them (gh_ and 24 characters), three per org.
      cross join lateral (select o0.org, 'gh_' || left(md5(o0.org::text || '-' || r.c), 24) as client) o`),
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

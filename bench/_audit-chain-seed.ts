// Real hash chains for the verification bench, written in SQL: events, their links and the heads,
// exactly what the sequencer (lib/audit/sequencer.ts) would have written for them.
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { BENCH_ACTIONS } from "./_audit-seed";

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
 * events, their links and the heads. The result verifies like events linked by the sequencer.
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
    events as (
      insert into audit_events (id, occurred_at, org_id, actor_type, actor_id, actor_name, action,
        outcome, ip, user_agent, request_id, metadata)
      select md5(org::text || s)::uuid, at, org, 'user', 'u' || s % 50, 'User ' || s % 50, action,
        'success', '10.0.0.' || s % 250, 'bench', md5(s::text), jsonb_build_object('n', s)
      from chain where s > 0
    ),
    links as (
      insert into audit_chain_links (chain_key, seq, event_id, event_occurred_at, prev_hash, hash)
      select org::text, s, md5(org::text || s)::uuid, at, prev, hash from chain where s > 0
    )
    insert into audit_chain_heads (chain_key, last_seq, last_hash, updated_at)
    select distinct on (org) org::text, s, hash, at from chain where s > 0 order by org, s desc
    on conflict (chain_key) do update set last_seq = excluded.last_seq, last_hash = excluded.last_hash, updated_at = excluded.updated_at`);
}

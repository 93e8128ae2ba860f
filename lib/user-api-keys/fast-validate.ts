import "server-only";
import { sql } from "drizzle-orm";
import { sha256 } from "@/lib/crypto";
import { getDb, preparedRows } from "@/lib/db";
import { RateLimitedError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { bucketHitSql, type Limit, limitResult } from "@/lib/rate-limit";
import { KEY_FACT_COLUMNS, keyFactsSql, type Row, settleKey, type Validation } from "./validate";

// POST /api/v1/api-keys/validate's hot path in one statement, when both keys are well-formed:
//   the platform key looked up by hash (not revoked), marked used (at most once a minute), one hit on
//   its bucket; then — only when the platform key is within its limit — the personal or org key's
//   facts (keyFactsSql, as the general path loads them), and, only when nothing about them is a
//   refusal (refusalOf mirrored in SQL), its use counted and one hit on its bucket.
// Every write is a counter (two limiter buckets, the platform key's "last used", the key's use count,
// time and address): the statement commits without waiting for the WAL flush, so the hot bucket rows
// are held for the statement only (a database crash may lose the last fraction of a second of counts,
// never a refusal, revocation or audit event — none is written here).
// The answers: no platform key → the general path (nothing was written; it answers the 401); the
// platform key over its limit → the 429 the general path would give (falling back would count the
// platform key twice); the key counted → settleKey, the general path's own answer for a loaded row;
// anything else (unknown, revoked, expired, switched off, owner disabled, membership ended, or a
// change that raced the statement) → the general path for the key (nothing of it was written): the
// fast path only ever answers what the general path answers for the same row, and never a refusal.

/** The outcome of the statement: a settled answer, or which part of the general path to take. */
export type FastValidation =
  | { path: "general" }
  | { path: "key"; platformKey: { id: string; name: string } }
  | { path: "fast"; platformKey: { id: string; name: string }; validation: Validation };

interface FastRow extends Row {
  platform_id: string;
  platform_name: string;
  platform_hits: number;
  platform_retry: number;
  counted: boolean;
}

/** refusalOf in SQL, over the `f` CTE: a key that is none of revoked, expired, switched off, owner disabled, membership ended. */
const PLAIN = sql`not f.revoked and not f.expired and f.enabled is distinct from 'false'::jsonb
  and not f.user_disabled and (f.org_id is null or f.role_key is not null)`;

export async function fastValidate(
  platformPresented: string,
  userPresented: string,
  opts: { permission?: string; context: RequestContext; platformLimit: Limit; platformBucket: string },
): Promise<FastValidation> {
  const db = getDb();
  const { platformLimit: limit } = opts;
  const [row] = await preparedRows<FastRow>(
    db,
    "gh_user_api_key_fast_validate",
    sql`with pk as (select id, name from api_keys where key_hash = ${sha256(platformPresented)} and revoked_at is null),
      pk_used as (update api_keys set last_used_at = now()
        where id = (select id from pk) and (last_used_at is null or last_used_at < now() - interval '60 seconds')),
      pk_hit as (${bucketHitSql(sql`select ${opts.platformBucket} || ':' || id from pk`, limit.windowSeconds, sql`exists (select 1 from pk)`)}),
      f as (${keyFactsSql(sha256(userPresented))}),
      used as (
        update user_api_keys u set use_count = use_count + 1, last_used_at = now(), last_used_ip = ${opts.context.ip}
        from f
        where u.id = f.id and (select hits from pk_hit) <= ${limit.max} and ${PLAIN}
          -- the key's own conditions again, on the row as it is now: a revocation committed since the
          -- statement's snapshot wins
          and u.revoked_at is null and (u.expires_at is null or u.expires_at > now())
        returning u.id
      ),
      hit as (${bucketHitSql(sql`select 'user_api_key:' || id from used`, 60, sql`exists (select 1 from used)`)})
      select pk.id as platform_id, pk.name as platform_name, pk_hit.hits as platform_hits, pk_hit.retry_after as platform_retry,
        exists (select 1 from used) as counted, ${KEY_FACT_COLUMNS},
        (select hits from hit) as limit_hits, (select retry_after from hit) as limit_retry
      from pk left join pk_hit on true left join f on true
        cross join (select set_config('synchronous_commit', 'off', true)) async`,
  );
  if (!row) return { path: "general" };
  const platformKey = { id: row.platform_id, name: row.platform_name };
  const platform = limitResult(limit.max, limit.windowSeconds, { hits: row.platform_hits, retry_after: row.platform_retry });
  if (!platform.allowed) throw new RateLimitedError(platform.retryAfterSeconds);
  if (!row.counted) return { path: "key", platformKey };
  return { path: "fast", platformKey, validation: await settleKey(row, opts, db) };
}

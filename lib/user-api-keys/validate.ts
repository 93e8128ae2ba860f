import "server-only";
import { sql } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import { sha256 } from "@/lib/crypto";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { bucketHitSql, hit, limitResult } from "@/lib/rate-limit";
import { USER_KEY_PREFIXES } from "./schema";

export type RefusalReason = "unknown" | "revoked" | "expired" | "disabled" | "owner_disabled" | "membership_ended";

export interface KeyFacts {
  id: string;
  name: string;
  type: "personal" | "org";
  mode: "live" | "test";
  expiresAt: string | null;
  user: { id: string; email: string; name: string | null } | null;
  org: { id: string; slug: string; name: string } | null;
  role: { key: string; name: string } | null;
  plan: string | null;
  /** What the key may do now: its own list ∩ what its role holds under the org's current plan. */
  permissions: string[];
}

export type Validation =
  | { valid: false; reason: RefusalReason; message: string }
  | {
      valid: true;
      key: KeyFacts;
      permission?: { id: string; granted: boolean };
      rateLimit: { allowed: boolean; limit: number; remaining: number; reset: number; retryAfterSeconds: number };
    };

export interface Row {
  id: string;
  owner_type: "user" | "org";
  name: string;
  mode: "live" | "test";
  key_permissions: string[] | null;
  limit: number;
  expires_at: string | Date | null;
  revoked: boolean;
  expired: boolean;
  user_id: string | null;
  email: string | null;
  user_name: string | null;
  user_disabled: boolean;
  org_id: string | null;
  slug: string | null;
  org_name: string | null;
  plan: string | null;
  role_key: string | null;
  role_name: string | null;
  role_permissions: string[] | null;
  enabled: unknown;
  limit_hits: number | null;
  limit_retry: number | null;
}

const MESSAGES: Record<RefusalReason, string> = {
  unknown: "No such API key.",
  revoked: "This API key was revoked.",
  expired: "This API key has expired.",
  disabled: "This kind of API key is switched off on the platform.",
  owner_disabled: "The owner of this API key is disabled.",
  membership_ended: "The key's user is no longer a member of its org.",
};

/** The columns of a key's facts (the `f` CTE below), in Row order. */
export const KEY_FACT_COLUMNS = sql.raw(
  "f.id, f.owner_type, f.name, f.mode, f.key_permissions, f.\"limit\", f.expires_at, f.revoked, f.expired, f.user_id, f.email, f.user_name, " +
    "f.user_disabled, f.org_id, f.slug, f.org_name, f.plan, f.role_key, f.role_name, f.role_permissions, f.enabled",
);

/**
 * Everything about the key of `hash` as of the statement's snapshot: owner, org, plan, role and the
 * role's permissions under the plan, and whether its kind is switched on (a CTE body; its columns
 * are KEY_FACT_COLUMNS).
 */
export function keyFactsSql(hash: string) {
  return sql`select k.id, k.owner_type, k.name, k.mode, k.permissions as key_permissions, k.rate_limit_per_minute as "limit",
        k.expires_at, k.revoked_at is not null as revoked, (k.expires_at is not null and k.expires_at <= now()) as expired,
        u.id as user_id, u.email, u.name as user_name, (u.disabled_at is not null) as user_disabled,
        o.id as org_id, o.slug, o.name as org_name, rm.name as plan, r.key as role_key, r.name as role_name,
        (select coalesce(array_agg(p.permission_id order by p.permission_id), '{}'::text[]) from role_mapping_permissions p
          where p.mapping_id = o.role_mapping_id and p.role_id = r.id) as role_permissions,
        (select s.value from platform_settings s where s.key = case k.owner_type when 'user' then 'personal_api_keys' else 'org_api_keys' end) as enabled
      from user_api_keys k
      left join users u on u.id = k.user_id
      left join orgs o on o.id = k.org_id
      left join role_mappings rm on rm.id = o.role_mapping_id
      left join memberships m on k.owner_type = 'user' and m.user_id = k.user_id and m.org_id = k.org_id
      left join roles r on r.id = coalesce(k.role_id, m.role_id)
      where k.key_hash = ${hash}`;
}

/**
 * Everything about a key in one statement (keyFactsSql); a live key (not revoked, not expired, its
 * kind switched on) is counted as used in the same statement (count, time, caller's address).
 */
async function loadKey(hash: string, ip: string | null, db: Executor): Promise<Row | undefined> {
  const [row] = await preparedRows<Row>(
    db,
    "gh_user_api_key_load",
    sql`with used as (
        update user_api_keys u set use_count = use_count + 1, last_used_at = now(), last_used_ip = ${ip}
        where u.key_hash = ${hash} and u.revoked_at is null and (u.expires_at is null or u.expires_at > now())
          and coalesce((select s.value from platform_settings s
            where s.key = case u.owner_type when 'user' then 'personal_api_keys' else 'org_api_keys' end), 'true'::jsonb) <> 'false'::jsonb
        returning u.id
      ),
      -- One hit on the key's bucket, counted only for a live key (the limiter's upsert; its row is
      -- the key's own, so the statement commits durably as the use count does).
      hit as (${bucketHitSql(sql`select 'user_api_key:' || id from used`, 60, sql`exists (select 1 from used)`)}),
      f as (${keyFactsSql(hash)})
      select ${KEY_FACT_COLUMNS}, (select hits from hit) as limit_hits, (select retry_after from hit) as limit_retry
      from f`,
  );
  return row;
}

/** Why a loaded key is refused, or null (the fast path mirrors this in SQL: fast-validate.ts `PLAIN`). */
export function refusalOf(row: Row): RefusalReason | null {
  if (row.revoked) return "revoked";
  if (row.expired) return "expired";
  if (row.enabled === false) return "disabled";
  if (row.user_disabled) return "owner_disabled";
  if (row.org_id && !row.role_key) return "membership_ended";
  return null;
}

/**
 * Validate a personal or org API key for the product's backend and consume one unit of its rate
 * limit (the shared limiter: one atomic upsert, exact across app nodes). Use is counted on the key
 * row (count, last time and address), not recorded as an event; refusals are audited at most once
 * a minute per key and reason.
 */
export async function validateUserApiKey(presented: string, opts: ValidateOptions, db: Executor = getDb()): Promise<Validation> {
  const row = isWellFormedUserKey(presented) ? await loadKey(sha256(presented), opts.context.ip, db) : undefined;
  if (!row) return { valid: false, reason: "unknown", message: MESSAGES.unknown };
  return settleKey(row, opts, db);
}

export interface ValidateOptions {
  permission?: string;
  context: RequestContext;
}

/** Whether `presented` looks like a personal or org key at all (else: "unknown", without a query). */
export function isWellFormedUserKey(presented: string): boolean {
  return (presented.startsWith(USER_KEY_PREFIXES.live) || presented.startsWith(USER_KEY_PREFIXES.test)) && presented.length <= 200;
}

/**
 * The answer for a key's row as loaded (and, when live, counted) by one statement: the refusal
 * (audited), or the facts with the limiter's verdict. Shared by the general path and the fast path
 * (fast-validate.ts), so both answer alike.
 */
export async function settleKey(row: Row, opts: ValidateOptions, db: Executor = getDb()): Promise<Validation> {
  const refused = refusalOf(row);
  if (refused) {
    await auditRefusal(row, refused, opts.context, db);
    return { valid: false, reason: refused, message: MESSAGES[refused] };
  }
  const limit = limitResult(row.limit, 60, row.limit_hits === null ? undefined : { hits: row.limit_hits, retry_after: row.limit_retry ?? 60 });
  // The first refused hit of a window is the one audited.
  if (!limit.allowed && limit.hits === row.limit + 1) await auditRefusal(row, "rate_limited", opts.context, db);
  const own = row.org_id ? (row.role_permissions ?? []) : [];
  const permissions = row.key_permissions ? own.filter((p) => row.key_permissions!.includes(p)) : own;
  const key: KeyFacts = {
    id: row.id,
    name: row.name,
    type: row.owner_type === "user" ? "personal" : "org",
    mode: row.mode,
    expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null,
    user: row.owner_type === "user" && row.user_id ? { id: row.user_id, email: row.email!, name: row.user_name } : null,
    org: row.org_id ? { id: row.org_id, slug: row.slug!, name: row.org_name! } : null,
    role: row.role_key ? { key: row.role_key, name: row.role_name! } : null,
    plan: row.plan,
    permissions,
  };
  return {
    valid: true,
    key,
    ...(opts.permission ? { permission: { id: opts.permission, granted: permissions.includes(opts.permission) } } : {}),
    rateLimit: {
      allowed: limit.allowed,
      limit: row.limit,
      remaining: limit.remaining,
      reset: Math.ceil(Date.now() / 1000) + limit.retryAfterSeconds,
      retryAfterSeconds: limit.retryAfterSeconds,
    },
  };
}

async function auditRefusal(row: Row, reason: RefusalReason | "rate_limited", context: RequestContext, db: Executor) {
  if (reason !== "rate_limited") {
    const once = await hit(`user_api_key_refusal:${row.id}:${reason}`, { max: 1, windowSeconds: 60 }, db);
    if (!once.allowed) return;
  }
  await db.transaction((tx) =>
    recordAudit(tx, {
      orgId: row.org_id,
      actor: { type: "api_key", id: row.id, name: row.name },
      action: "api_key.use_refused",
      outcome: "denied",
      target: { type: "api_key", id: row.id, name: row.name },
      context,
      metadata: { reason, owner: row.owner_type },
    }),
  );
}

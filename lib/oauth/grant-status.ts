import "server-only";
import { sql } from "drizzle-orm";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import { bucketHitSql, type Limit, type LimitResult, limitResult } from "@/lib/rate-limit";

export interface GrantStatus {
  active: boolean;
  userId: string;
  orgId: string;
  clientId: string;
  scopes: string[];
  clientName: string;
  resource: string;
  userEmail: string;
  userName: string | null;
  /** The permissions the user holds in the grant's org right now (their role in the org's plan). */
  permissions: string[];
  createdAt: Date;
}

export interface GrantStatusRow {
  active: boolean;
  user_id: string;
  org_id: string;
  client_id: string;
  scopes: string[];
  client_name: string;
  resource: string;
  user_email: string;
  user_name: string | null;
  permissions: string[] | null;
  created_at: Date | string;
}

/**
 * Whether the grant `g` still stands: not revoked, the client neither disabled nor blocked in the
 * org, the user still enabled and a member of the org — and the permissions the user holds there
 * now, so effective access (scope ∩ permission) costs no extra query. Use as
 * `select … from <GRANT_STATUS_FROM>`.
 */
export const GRANT_STATUS_COLUMNS = sql`
  (g.revoked_at is null and c.disabled_at is null and u.disabled_at is null
    and m.user_id is not null
    and not exists (select 1 from oauth_client_blocks b where b.org_id = g.org_id and b.client_id = g.client_id)
  ) as active,
  g.user_id, g.org_id, g.client_id, g.scopes, c.name as client_name, g.resource, u.email as user_email, u.name as user_name,
  array(select p.permission_id from role_mapping_permissions p
    where p.mapping_id = o.role_mapping_id and p.role_id = m.role_id) as permissions,
  g.created_at`;
export const GRANT_STATUS_FROM = sql`oauth_grants g join oauth_clients c on c.id = g.client_id join users u on u.id = g.user_id
  left join memberships m on m.org_id = g.org_id and m.user_id = g.user_id left join orgs o on o.id = m.org_id`;

export function toGrantStatus(r: GrantStatusRow): GrantStatus {
  return {
    active: r.active === true,
    userId: r.user_id,
    orgId: r.org_id,
    clientId: r.client_id,
    scopes: r.scopes,
    clientName: r.client_name,
    resource: r.resource,
    userEmail: r.user_email,
    userName: r.user_name,
    permissions: r.permissions ?? [],
    createdAt: new Date(r.created_at),
  };
}

/**
 * One indexed query that says whether a grant still stands. Run on every resource request and
 * introspection, so revoking a grant ends its access tokens at once.
 */
export async function getGrantStatus(grantId: string, db: Executor = getDb()): Promise<GrantStatus | null> {
  if (!/^[0-9a-f-]{36}$/i.test(grantId)) return null;
  const [r] = await preparedRows<GrantStatusRow>(
    db,
    "gh_grant_status",
    sql`select ${GRANT_STATUS_COLUMNS} from ${GRANT_STATUS_FROM} where g.id = ${grantId}`,
  );
  return r ? toGrantStatus(r) : null;
}

/**
 * The grant's status and one hit on a rate-limit bucket (counted only when the grant is active), in
 * one statement: the MCP endpoint's check of every call.
 */
export async function getGrantStatusAndHit(
  grantId: string,
  bucket: { key: string; limit: Limit },
  db: Executor = getDb(),
): Promise<{ status: GrantStatus; limit: LimitResult } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(grantId)) return null;
  const [r] = await preparedRows<GrantStatusRow & { limit_hits: number | null; limit_retry: number | null }>(
    db,
    "gh_grant_status_hit",
    sql`with s as (select ${GRANT_STATUS_COLUMNS} from ${GRANT_STATUS_FROM} where g.id = ${grantId}),
      hit as (${bucketHitSql(bucket.key, bucket.limit.windowSeconds, sql`coalesce((select active from s), false)`)})
      select s.*, hit.hits as limit_hits, hit.retry_after as limit_retry from s left join hit on true`,
  );
  if (!r) return null;
  return {
    status: toGrantStatus(r),
    limit: limitResult(bucket.limit.max, bucket.limit.windowSeconds, r.limit_hits === null ? undefined : { hits: r.limit_hits, retry_after: r.limit_retry ?? 0 }),
  };
}

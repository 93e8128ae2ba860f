import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { randomToken, sha256 } from "@/lib/crypto";
import { getDb, preparedRows, textArrayLiteral } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { bucketHitSql, limitResult } from "@/lib/rate-limit";
import { nextEventStamp } from "@/lib/audit/event-stamp";
import { wakeSequencer } from "@/lib/audit/sequencer-wake";
import type { ClientCredentials } from "./clients";
import { invalidClient } from "./errors";
import { grantMaxAgeDays } from "./grant-lifetime";
import { getActiveSigningKey } from "./keys";
import { isWellFormedVerifier, s256 } from "./pkce";
import { REFRESH_TTL_SECONDS } from "./refresh-tokens";
import { ACCESS_TOKEN_TYP, type AccessTokenClaims } from "./tokens";
import { issuer } from "./issuer";

// The token endpoint's hot path in two statements, each its own transaction:
//   1. admission: the per-IP limit, the client looked up and authenticated, the per-client limit
//      (counted only for an authenticated client) — the shared rows (an IP's or a client's bucket)
//      are held only for this short statement;
//   2. the grant: the refresh token used once (or the code), every condition of the grant checked
//      in the same UPDATE, the new refresh token, "last used", and the audit event with its queue
//      row — no row shared with other grants is locked.
// When statement 2 changes nothing the request takes the general path (token-endpoint.ts), which
// says precisely what is wrong and handles reuse (revoking the grant): the fast path only ever
// answers success, so it cannot be more permissive than the general one.

const perMinute = 60;

export interface AdmittedClient {
  id: string;
  type: string;
  name: string;
  allowedScopes: string[];
  accessTokenTtlSeconds: number;
}

interface AdmissionRow {
  id: string | null;
  type: string | null;
  secret_hash: string | null;
  disabled_at: Date | string | null;
  name: string | null;
  allowed_scopes: string[] | null;
  access_token_ttl_seconds: number | null;
  ip_hits: number;
  ip_retry: number;
  client_hits: number | null;
  client_retry: number | null;
}

/** What the admission statement found: the IP is within its limit; the client is yet to be judged. */
export interface Admission {
  /** The authenticated client within its limit, or the invalid_client / 429 the general path would throw. */
  client(): AdmittedClient;
}

/**
 * Count the request against the caller's IP, look the client up, compare its secret's hash and, for
 * an authenticated client only, count the request against the client: one statement. Throws the
 * IP's 429 at once; the client's verdict waits for `client()`, after the request's own checks, so
 * errors keep the general path's precedence.
 */
export async function admitTokenRequest(creds: ClientCredentials, context: RequestContext): Promise<Admission> {
  const env = getEnv();
  const basic = creds.method === "client_secret_basic";
  const clientId = creds.clientId && creds.clientId.length <= 2048 ? creds.clientId : null;
  const secretHash = creds.secret ? sha256(creds.secret) : null;
  const [row] = await preparedRows<AdmissionRow>(
    getDb(),
    "gh_token_admission",
    sql`
    with ip as (${bucketHitSql(`oauth:token:ip:${context.ip ?? "unknown"}`, perMinute)}),
    c as (
      select id, type, secret_hash, disabled_at, name, allowed_scopes, access_token_ttl_seconds
      from oauth_clients where id = ${clientId}
    ),
    cl as (${bucketHitSql(
      `oauth:token:client:${clientId ?? ""}`,
      perMinute,
      sql`(select hits from ip) <= ${env.OAUTH_TOKEN_PER_IP_PER_MINUTE}
        and exists (select 1 from c where c.disabled_at is null and
          case when c.type = 'confidential' then c.secret_hash = ${secretHash}::text else ${secretHash}::text is null end)`,
    )})
    select c.*, ip.hits as ip_hits, ip.retry_after as ip_retry, cl.hits as client_hits, cl.retry_after as client_retry
    from ip left join c on true left join cl on true
      -- Committed without waiting for the WAL flush, so the shared bucket rows are held for the
      -- statement only, not for a disk flush too; a crash can lose the last few counts, no more.
      cross join (select set_config('synchronous_commit', 'off', true)) async`,
  );
  if (!row) throw new Error("token admission returned nothing");
  const ip = limitResult(env.OAUTH_TOKEN_PER_IP_PER_MINUTE, perMinute, { hits: row.ip_hits, retry_after: row.ip_retry });
  if (!ip.allowed) throw new RateLimitedError(ip.retryAfterSeconds);
  return {
    client() {
      if (!clientId) throw invalidClient("Client authentication is required.", basic);
      if (!row.id || row.disabled_at) throw invalidClient("Unknown or disabled client.", basic);
      if (row.type === "confidential") {
        // The statement compared the hashes; whether it counted a hit says whether they matched.
        if (!creds.secret || row.client_hits === null) throw invalidClient("Client authentication failed.", basic);
      } else if (creds.secret) {
        throw invalidClient("Public clients do not authenticate with a secret.", basic);
      }
      const client = limitResult(env.OAUTH_TOKEN_PER_CLIENT_PER_MINUTE, perMinute, {
        hits: row.client_hits ?? 1,
        retry_after: row.client_retry ?? perMinute,
      });
      if (!client.allowed) throw new RateLimitedError(client.retryAfterSeconds);
      return {
        id: row.id,
        type: row.type!,
        name: row.name!,
        allowedScopes: row.allowed_scopes ?? [],
        accessTokenTtlSeconds: Number(row.access_token_ttl_seconds),
      };
    },
  };
}

export interface FastTokens {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
}

interface IssuedRow {
  grant_id: string;
  user_id: string;
  org_id: string;
  resource: string;
  scopes: string[];
}

/** Sign the access token for an issued row (the signing key is cached; no database work). */
async function tokensFor(client: AdmittedClient, row: IssuedRow, refreshToken: string, jti: string): Promise<FastTokens> {
  const key = await getActiveSigningKey();
  const iat = Math.floor(Date.now() / 1000);
  const claims: AccessTokenClaims = {
    iss: issuer(),
    aud: row.resource,
    sub: row.user_id,
    org_id: row.org_id,
    client_id: client.id,
    grant_id: row.grant_id,
    scope: row.scopes.join(" "),
    jti,
    iat,
    exp: iat + client.accessTokenTtlSeconds,
  };
  return {
    access_token: key.signer.sign({ ...claims }, ACCESS_TOKEN_TYP),
    token_type: "Bearer",
    expires_in: client.accessTokenTtlSeconds,
    refresh_token: refreshToken,
    scope: claims.scope,
  };
}

/**
 * The rest of the statement after `grant` (a CTE with grant_id, user_id, org_id, resource, scopes
 * of the grant whose token or code was just used): the new refresh token, "last used" on grant and
 * client (each to the minute: a busy agent's refreshes do not rewrite the row every time), the audit
 * event and its queue row; selects the grant row.
 */
function issueAndRecord(client: AdmittedClient, newRefreshHash: string, context: RequestContext, action: string, grantType: string) {
  const stamp = nextEventStamp();
  return sql`
    issued as (
      insert into oauth_refresh_tokens (token_hash, grant_id, client_id, scopes, expires_at)
      select ${newRefreshHash}, grant_id, ${client.id}, scopes, now() + make_interval(secs => ${REFRESH_TTL_SECONDS}) from used
    ),
    grant_used as (
      update oauth_grants set last_used_at = now() from used
      where oauth_grants.id = used.grant_id and (oauth_grants.last_used_at is null or oauth_grants.last_used_at < now() - interval '1 minute')
    ),
    client_used as (
      update oauth_clients set last_used_at = now()
      where id = ${client.id} and exists (select 1 from used)
        and (last_used_at is null or last_used_at < now() - interval '1 minute')
    ),
    event as (
      insert into audit_events (id, occurred_at, org_id, actor_type, actor_id, actor_name, on_behalf_of_user_id,
        client_id, grant_id, action, target_type, target_id, outcome, ip, user_agent, request_id, metadata)
      select ${stamp.id}::uuid, ${stamp.occurredAt.toISOString()}::timestamptz, org_id, 'agent', ${client.id}, ${client.name}, user_id,
        ${client.id}, grant_id::text, ${action}, 'oauth_grant', grant_id::text, 'success',
        ${context.ip}, ${context.userAgent}, ${context.requestId},
        jsonb_build_object('grant_type', ${grantType}::text, 'scope', array_to_string(scopes, ' ')) ||
          case when ${grantType}::text = 'authorization_code' then jsonb_build_object('resource', resource) else '{}'::jsonb end
      from used
      returning id, occurred_at, org_id
    ),
    queued as (
      insert into audit_unchained (event_id, chain_key, occurred_at) select id, org_id::text, occurred_at from event
    )
    select grant_id, user_id, org_id, resource, scopes from used`;
}

/**
 * refresh_token grant in one statement: succeeds only when the token is unused, unexpired and the
 * client's, the grant active (not revoked, client enabled and not blocked by the org, user enabled
 * and still a member) and within its maximum age, the requested scope within the token's and the
 * client's, the resource the grant's. Null: take the general path.
 */
export async function fastRefresh(
  client: AdmittedClient,
  token: string,
  scopes: string[] | null,
  resource: string | null,
  context: RequestContext,
): Promise<FastTokens | null> {
  const refreshToken = randomToken(32);
  const scopeList = textArrayLiteral(scopes);
  const [row] = await preparedRows<IssuedRow>(
    getDb(),
    "gh_token_fast_refresh",
    sql`
    with used as (
      update oauth_refresh_tokens t set used_at = now()
      from oauth_grants g
        join oauth_clients c on c.id = g.client_id
        join users u on u.id = g.user_id
        join memberships m on m.org_id = g.org_id and m.user_id = g.user_id
      where t.token_hash = ${sha256(token)} and t.used_at is null and t.revoked_at is null
        and t.client_id = ${client.id} and t.expires_at > now() and g.id = t.grant_id
        and g.revoked_at is null and c.disabled_at is null and u.disabled_at is null
        and not exists (select 1 from oauth_client_blocks b where b.org_id = g.org_id and b.client_id = g.client_id)
        and g.created_at > now() - make_interval(days => ${grantMaxAgeDays()})
        and (${scopeList}::text[] is null or ${scopeList}::text[] <@ t.scopes)
        and (${resource}::text is null or ${resource}::text = g.resource)
        and (cardinality(c.allowed_scopes) = 0 or coalesce(${scopeList}::text[], t.scopes) <@ c.allowed_scopes)
      returning t.grant_id, g.user_id, g.org_id, g.resource, coalesce(${scopeList}::text[], t.scopes) as scopes
    ),
    ${issueAndRecord(client, sha256(refreshToken), context, "oauth.token_refreshed", "refresh_token")}`,
  );
  if (!row) return null;
  wakeSequencer(row.org_id);
  return tokensFor(client, row, refreshToken, randomUUID());
}

/**
 * authorization_code grant in one statement: succeeds only when the code is unused, unexpired and
 * the client's, the redirect URI and PKCE verifier match, the resource (if sent) is the code's, the
 * grant is active and the code's scopes within the client's. Null: take the general path.
 */
export async function fastCode(
  client: AdmittedClient,
  code: string,
  redirectUri: string,
  verifier: string,
  resource: string | null,
  context: RequestContext,
): Promise<FastTokens | null> {
  if (!isWellFormedVerifier(verifier)) return null;
  const refreshToken = randomToken(32);
  const [row] = await preparedRows<IssuedRow>(
    getDb(),
    "gh_token_fast_code",
    sql`
    with used as (
      update oauth_codes k set used_at = now()
      from oauth_grants g
        join oauth_clients c on c.id = g.client_id
        join users u on u.id = g.user_id
        join memberships m on m.org_id = g.org_id and m.user_id = g.user_id
      where k.code_hash = ${sha256(code)} and k.used_at is null
        and k.client_id = ${client.id} and k.expires_at > now() and g.id = k.grant_id
        and k.redirect_uri = ${redirectUri} and k.code_challenge = ${s256(verifier)}
        and (${resource}::text is null or ${resource}::text = k.resource)
        and g.revoked_at is null and c.disabled_at is null and u.disabled_at is null
        and not exists (select 1 from oauth_client_blocks b where b.org_id = g.org_id and b.client_id = g.client_id)
        and (cardinality(c.allowed_scopes) = 0 or k.scopes <@ c.allowed_scopes)
      returning k.grant_id, g.user_id, g.org_id, k.resource, k.scopes
    ),
    ${issueAndRecord(client, sha256(refreshToken), context, "oauth.token_issued", "authorization_code")}`,
  );
  if (!row) return null;
  wakeSequencer(row.org_id);
  return tokensFor(client, row, refreshToken, randomUUID());
}

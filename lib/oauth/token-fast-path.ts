import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { randomToken, sha256 } from "@/lib/crypto";
import { getDb, preparedRows, textArrayLiteral } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { leasedHit } from "@/lib/rate-limit/lease";
import { nextEventStamp } from "@/lib/audit/event-stamp";
import { wakeSequencer } from "@/lib/audit/sequencer-wake";
import { type ClientCredentials, credentialsProblem, findClient, type OAuthClientRow } from "./clients";
import { grantMaxAgeDays } from "./grant-lifetime";
import { getActiveSigningKey } from "./keys";
import { isWellFormedVerifier, s256 } from "./pkce";
import { REFRESH_TTL_SECONDS } from "./refresh-tokens";
import { ACCESS_TOKEN_TYP, type AccessTokenClaims } from "./tokens";
import { issuer } from "./issuer";

// The token endpoint's hot path in one statement, its own transaction:
//   - admission, in memory: the per-IP limit and, for an authenticated client only, the per-client
//     limit are leased limits (lib/rate-limit/lease.ts: one statement per block of hits, exact near
//     the limit); the client is judged on its row as this node last read it (at most
//     CLIENT_CACHE_MS old) when that admits it, and on a fresh read when it would refuse it;
//   - the grant: the refresh token used once (or the code), every condition of the grant checked
//     in the same UPDATE (the client's row among them: enabled, the secret presented still its
//     secret), the new refresh token, "last used", and the audit event with its queue row — no row
//     shared with other grants is locked.
// When the grant statement changes nothing the request takes the general path (token-endpoint.ts),
// which reads the client afresh, says precisely what is wrong and handles reuse (revoking the
// grant): the fast path only ever answers success, so it cannot be more permissive than the
// general one.

const perMinute = 60;

/** How long a node judges token requests on a client row it read (the grant statement checks the row itself). */
export const CLIENT_CACHE_MS = 30_000;
const CLIENT_CACHE_MAX = 10_000;

/** What the admission judges a client's credentials on (`credentialsProblem`). */
type ClientFacts = Pick<OAuthClientRow, "type" | "secretHash" | "disabledAt">;

// On globalThis, as the leases: the direct lane and Next's bundles share one node's cache.
const CACHE = Symbol.for("gatehouse.oauth.token-clients");
function clientCache(): Map<string, { facts: ClientFacts; at: number }> {
  const g = globalThis as { [CACHE]?: Map<string, { facts: ClientFacts; at: number }> };
  return (g[CACHE] ??= new Map());
}

/**
 * The client's row as this node last read it (`fresh` false), or as the database has it now (read
 * when the copy is older than CLIENT_CACHE_MS, missing, or `fresh` is asked for). Null: no such client.
 */
async function clientFacts(clientId: string, fresh: boolean): Promise<{ facts: ClientFacts | null; fresh: boolean }> {
  const cache = clientCache();
  const copy = cache.get(clientId);
  if (copy && !fresh && performance.now() - copy.at < CLIENT_CACHE_MS) return { facts: copy.facts, fresh: false };
  const row = await findClient(clientId);
  if (cache.size >= CLIENT_CACHE_MAX) cache.clear();
  // Only rows that exist: ids nobody registered are not remembered (they cannot fill the cache).
  if (row) cache.set(clientId, { facts: { type: row.type, secretHash: row.secretHash, disabledAt: row.disabledAt }, at: performance.now() });
  else cache.delete(clientId);
  return { facts: row, fresh: true };
}

/** Drop this node's copy of a client's row (the general path reads it afresh). */
export function forgetTokenClient(clientId: string): void {
  clientCache().delete(clientId);
}

export interface AdmittedClient {
  id: string;
  /** The SHA-256 of the secret presented (null for a public client): the grant statement compares it again. */
  secretHash: string | null;
}

/** What the admission found: the IP is within its limit; the client is yet to be judged. */
export interface Admission {
  /** The authenticated client within its limit, or the invalid_client / 429 the general path would throw. */
  client(): AdmittedClient;
}

/**
 * Count the request against the caller's IP, judge the client's credentials and, for an
 * authenticated client only, count the request against the client: no statement at all while the
 * node holds leases on both limits and the client's row. Throws the IP's 429 at once; the client's
 * verdict waits for `client()`, after the request's own checks, so errors keep the general path's
 * precedence.
 */
export async function admitTokenRequest(creds: ClientCredentials, context: RequestContext): Promise<Admission> {
  const env = getEnv();
  const ip = await leasedHit(`oauth:token:ip:${context.ip ?? "unknown"}`, { max: env.OAUTH_TOKEN_PER_IP_PER_MINUTE, windowSeconds: perMinute });
  if (!ip.allowed) throw new RateLimitedError(ip.retryAfterSeconds);
  const clientId = creds.clientId && creds.clientId.length <= 2048 ? creds.clientId : null;
  // A refusal is never judged on a copy: a client enabled or given a new secret a moment ago is admitted.
  const client = clientId ? await clientFacts(clientId, false) : null;
  let problem = credentialsProblem(creds, client?.facts ?? null);
  if (problem && client && !client.fresh) problem = credentialsProblem(creds, (await clientFacts(clientId!, true)).facts);
  if (problem) {
    return {
      client() {
        throw problem;
      },
    };
  }
  const limit = await leasedHit(`oauth:token:client:${clientId}`, { max: env.OAUTH_TOKEN_PER_CLIENT_PER_MINUTE, windowSeconds: perMinute });
  return {
    client() {
      if (!limit.allowed) throw new RateLimitedError(limit.retryAfterSeconds);
      return { id: clientId!, secretHash: creds.secret ? sha256(creds.secret) : null };
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
  /** The client's access-token lifetime, from its row. */
  ttl: number;
}

/**
 * The client row `c` still takes the credentials the admission judged on this node's copy of it: a
 * confidential client's secret hash is the one presented, a public client was sent none.
 */
function clientStillAuthenticates(client: AdmittedClient) {
  return sql`case when c.type = 'confidential' then c.secret_hash = ${client.secretHash}::text else ${client.secretHash}::text is null end`;
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
    exp: iat + row.ttl,
  };
  return {
    access_token: key.signer.sign({ ...claims }, ACCESS_TOKEN_TYP),
    token_type: "Bearer",
    expires_in: row.ttl,
    refresh_token: refreshToken,
    scope: claims.scope,
  };
}

/**
 * The rest of the statement after `used` (a CTE with grant_id, user_id, org_id, resource, scopes,
 * client_name, ttl of the grant whose token or code was just used): the new refresh token, "last used" on grant and
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
      select ${stamp.id}::uuid, ${stamp.occurredAt.toISOString()}::timestamptz, org_id, 'agent', ${client.id}, client_name, user_id,
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
    select grant_id, user_id, org_id, resource, scopes, ttl from used`;
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
        and t.client_id = ${client.id} and g.client_id = ${client.id} and t.expires_at > now() and g.id = t.grant_id
        and g.revoked_at is null and c.disabled_at is null and u.disabled_at is null
        and not exists (select 1 from oauth_client_blocks b where b.org_id = g.org_id and b.client_id = g.client_id)
        and g.created_at > now() - make_interval(days => ${grantMaxAgeDays()})
        and (${scopeList}::text[] is null or ${scopeList}::text[] <@ t.scopes)
        and (${resource}::text is null or ${resource}::text = g.resource)
        and (cardinality(c.allowed_scopes) = 0 or coalesce(${scopeList}::text[], t.scopes) <@ c.allowed_scopes)
        and ${clientStillAuthenticates(client)}
      returning t.grant_id, g.user_id, g.org_id, g.resource, coalesce(${scopeList}::text[], t.scopes) as scopes,
        c.name as client_name, c.access_token_ttl_seconds as ttl
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
        and k.client_id = ${client.id} and g.client_id = ${client.id} and k.expires_at > now() and g.id = k.grant_id
        and k.redirect_uri = ${redirectUri} and k.code_challenge = ${s256(verifier)}
        and (${resource}::text is null or ${resource}::text = k.resource)
        and g.revoked_at is null and c.disabled_at is null and u.disabled_at is null
        and not exists (select 1 from oauth_client_blocks b where b.org_id = g.org_id and b.client_id = g.client_id)
        and (cardinality(c.allowed_scopes) = 0 or k.scopes <@ c.allowed_scopes)
        and ${clientStillAuthenticates(client)}
      returning k.grant_id, g.user_id, g.org_id, k.resource, k.scopes, c.name as client_name, c.access_token_ttl_seconds as ttl
    ),
    ${issueAndRecord(client, sha256(refreshToken), context, "oauth.token_issued", "authorization_code")}`,
  );
  if (!row) return null;
  wakeSequencer(row.org_id);
  return tokensFor(client, row, refreshToken, randomUUID());
}

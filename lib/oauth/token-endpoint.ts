import "server-only";
import { type AuditEventInput, recordAudit } from "@/lib/audit/record";
import { getDb, type Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { authenticateClient, type OAuthClientRow, readClientCredentials } from "./clients";
import { consumeCode } from "./codes";
import {
  invalidGrant,
  invalidRequest,
  invalidScope,
  invalidTarget,
  OAuthError,
  unauthorizedClient,
  unsupportedGrantType,
} from "./errors";
import { getGrantStatus } from "./grant-status";
import { grantEndsAt } from "./grant-lifetime";
import { revokeGrant } from "./grants";
import { verifyPkce } from "./pkce";
import { consumeRefreshToken, createRefreshTokenAndMarkUsed } from "./refresh-tokens";
import { oauthLimits } from "./limits";
import { parseScope } from "./scopes";
import { type AdmittedClient, admitTokenRequest, fastCode, fastRefresh, forgetTokenClient } from "./token-fast-path";
import { issueAccessToken } from "./tokens";

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
}

type Outcome = { ok: true; body: TokenResponse } | { ok: false; error: OAuthError };

/** Handle a token request body (already read as a form): authorization_code or refresh_token. */
export async function handleTokenRequest(
  headers: Headers,
  form: URLSearchParams,
  context: RequestContext,
): Promise<TokenResponse> {
  let creds;
  try {
    creds = readClientCredentials(headers, form);
  } catch (err) {
    await oauthLimits.tokenIp(context); // malformed credentials still count against the IP
    throw err;
  }
  // The IP's limit, the client's authentication and its limit: in memory while this node holds leases (token-fast-path.ts).
  const admission = await admitTokenRequest(creds, context);
  for (const [k] of form) {
    if (form.getAll(k).length > 1) throw invalidRequest(`Parameter ${k} is repeated.`);
  }
  const grantType = form.get("grant_type");
  if (!grantType) throw invalidRequest("grant_type is required.");
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    throw unsupportedGrantType("Only authorization_code and refresh_token are supported.");
  }
  const admitted = admission.client();
  const fast = await tryFastPath(admitted, grantType, form, context);
  if (fast) return fast;
  // The general path: every check in turn, with its own error, and reuse handling. The client is
  // read and authenticated afresh (the admission judged this node's copy of its row).
  forgetTokenClient(admitted.id);
  const client = await authenticateClient(creds);
  const outcome =
    grantType === "authorization_code"
      ? await redeemCode(client, form, context)
      : await refresh(client, form, context);
  if (!outcome.ok) throw outcome.error;
  return outcome.body;
}

/** The one-statement grant (token-fast-path.ts) when the request is well formed; null otherwise. */
async function tryFastPath(
  client: AdmittedClient,
  grantType: "authorization_code" | "refresh_token",
  form: URLSearchParams,
  context: RequestContext,
): Promise<TokenResponse | null> {
  if (grantType === "refresh_token") {
    const token = form.get("refresh_token");
    const scopeParam = form.get("scope");
    if (!token) return null;
    let scopes: string[] | null = null;
    if (scopeParam !== null) {
      const parsed = parseScope(scopeParam);
      if (!parsed.ok) return null;
      if (parsed.scopes.length) scopes = parsed.scopes;
    }
    return fastRefresh(client, token, scopes, form.get("resource") || null, context);
  }
  const code = form.get("code");
  const redirectUri = form.get("redirect_uri");
  const verifier = form.get("code_verifier");
  if (!code || !redirectUri || !verifier) return null;
  return fastCode(client, code, redirectUri, verifier, form.get("resource") || null, context);
}

async function redeemCode(
  client: OAuthClientRow,
  form: URLSearchParams,
  context: RequestContext,
): Promise<Outcome> {
  const code = form.get("code");
  const redirectUri = form.get("redirect_uri");
  const verifier = form.get("code_verifier");
  const resource = form.get("resource");
  if (!code) throw invalidRequest("code is required.");
  if (!verifier) throw invalidRequest("code_verifier is required (PKCE).");
  return getDb().transaction(async (tx): Promise<Outcome> => {
    const consumed = await consumeCode(tx, code);
    if (!consumed) return fail(invalidGrant("The code is not valid."));
    if ("reused" in consumed) {
      // RFC 6749 §4.1.2 / RFC 9700 §4.5: a replayed code revokes what it issued.
      await revokeReplayed(tx, client, consumed.reused.grantId, "code_reuse", "oauth.code_replayed", context);
      return fail(invalidGrant("The code was already used; the tokens it issued are revoked."));
    }
    const row = consumed.row;
    if (row.clientId !== client.id) return fail(invalidGrant("The code was issued to another client."));
    if (row.expiresAt.getTime() <= Date.now()) return fail(invalidGrant("The code has expired."));
    if (!redirectUri || redirectUri !== row.redirectUri)
      return fail(invalidGrant("redirect_uri does not match the authorization request."));
    if (!verifyPkce(verifier, row.codeChallenge))
      return fail(invalidGrant("code_verifier does not match the code challenge."));
    if (resource && resource !== row.resource)
      return fail(invalidTarget("resource does not match the authorization request."));
    const grant = await getGrantStatus(row.grantId, tx);
    if (!grant?.active) return fail(invalidGrant("The grant was revoked."));
    const body = await issueTokens(tx, client, { id: row.grantId, ...grant }, row.scopes, row.resource);
    await auditGrantEvent(tx, client.name, { id: row.grantId, ...grant, clientId: client.id }, {
      action: "oauth.token_issued",
      context,
      metadata: { grant_type: "authorization_code", scope: body.scope, resource: row.resource },
    });
    return { ok: true, body };
  });
}

async function refresh(
  client: OAuthClientRow,
  form: URLSearchParams,
  context: RequestContext,
): Promise<Outcome> {
  const token = form.get("refresh_token");
  if (!token) throw invalidRequest("refresh_token is required.");
  const scopeParam = form.get("scope");
  const resourceParam = form.get("resource");
  return getDb().transaction(async (tx): Promise<Outcome> => {
    const consumed = await consumeRefreshToken(tx, token);
    if (!consumed) return fail(invalidGrant("The refresh token is not valid."));
    if ("reused" in consumed) {
      if (consumed.reused.clientId !== client.id)
        return fail(invalidGrant("The refresh token is not valid."));
      await revokeReplayed(
        tx,
        client,
        consumed.reused.grantId,
        "refresh_reuse",
        "oauth.refresh_token_replayed",
        context,
      );
      return fail(invalidGrant("The refresh token was already used; the grant is revoked."));
    }
    const row = consumed.row;
    if (row.clientId !== client.id)
      return fail(invalidGrant("The refresh token was issued to another client."));
    if (row.expiresAt.getTime() <= Date.now()) return fail(invalidGrant("The refresh token has expired."));
    const grant = row.grant;
    if (!grant.active) return fail(invalidGrant("The grant was revoked."));
    if (grantEndsAt(grant).getTime() <= Date.now())
      return fail(invalidGrant("The grant reached its maximum lifetime; authorize the application again."));
    let scopes = row.scopes;
    if (scopeParam !== null) {
      const parsed = parseScope(scopeParam);
      if (!parsed.ok) return fail(invalidScope(`Unknown scope: ${parsed.invalid.join(", ")}.`));
      if (parsed.scopes.some((s) => !row.scopes.includes(s)))
        return fail(invalidScope("A refresh cannot widen the scope."));
      if (parsed.scopes.length) scopes = parsed.scopes;
    }
    const resource = grant.resource;
    if (resourceParam && resourceParam !== resource)
      return fail(invalidTarget("resource does not match the grant."));
    const body = await issueTokens(tx, client, { id: row.grantId, ...grant }, scopes, resource);
    await auditGrantEvent(tx, client.name, { id: row.grantId, ...grant, clientId: client.id }, {
      action: "oauth.token_refreshed",
      context,
      metadata: { grant_type: "refresh_token", scope: body.scope },
    });
    return { ok: true, body };
  });
}

async function issueTokens(
  tx: Tx,
  client: OAuthClientRow,
  grant: { id: string; userId: string; orgId: string; scopes: string[] },
  scopes: string[],
  resource: string,
): Promise<TokenResponse> {
  if (client.allowedScopes.length && scopes.some((s) => !client.allowedScopes.includes(s))) {
    throw unauthorizedClient("The client is no longer allowed these scopes.");
  }
  const ttl = client.accessTokenTtlSeconds;
  const { token } = await issueAccessToken(
    {
      userId: grant.userId,
      orgId: grant.orgId,
      clientId: client.id,
      grantId: grant.id,
      scopes,
      resource,
      ttlSeconds: ttl,
    },
    tx,
  );
  const refreshToken = await createRefreshTokenAndMarkUsed(tx, { grantId: grant.id, clientId: client.id, scopes });
  return {
    access_token: token,
    token_type: "Bearer",
    expires_in: ttl,
    refresh_token: refreshToken,
    scope: scopes.join(" "),
  };
}

/** A replayed code or refresh token: revoke the grant it came from, one denied audit event per grant revoked. */
async function revokeReplayed(
  tx: Tx,
  client: OAuthClientRow,
  grantId: string,
  reason: "code_reuse" | "refresh_reuse",
  action: "oauth.code_replayed" | "oauth.refresh_token_replayed",
  context: RequestContext,
): Promise<void> {
  const revoked = await revokeGrant(tx, grantId, reason);
  for (const g of revoked) {
    await auditGrantEvent(tx, client.name, g, { action, outcome: "denied", context, metadata: { revoked: true } });
  }
}

/** One audit event about a grant, acted by the grant's client on behalf of its user. */
function auditGrantEvent(
  tx: Tx,
  clientName: string,
  grant: { id: string; clientId: string; userId: string; orgId: string },
  event: Pick<AuditEventInput, "action" | "outcome" | "context" | "metadata">,
) {
  return recordAudit(tx, {
    orgId: grant.orgId,
    actor: { type: "agent", id: grant.clientId, name: clientName },
    onBehalfOf: { userId: grant.userId },
    clientId: grant.clientId,
    grantId: grant.id,
    action: event.action,
    outcome: event.outcome,
    target: { type: "oauth_grant", id: grant.id },
    context: event.context,
    metadata: event.metadata,
  });
}

function fail(error: OAuthError): Outcome {
  return { ok: false, error };
}

import "server-only";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { getGrantStatus, getGrantStatusAndHit, type GrantStatus } from "@/lib/oauth/grant-status";
import { mcpGrantBucket } from "@/lib/oauth/limits";
import type { LimitResult } from "@/lib/rate-limit";
import { mcpResource, protectedResourceMetadataUrl } from "@/lib/oauth/issuer";
import { type AccessTokenClaims, InvalidTokenError, verifyAccessToken } from "@/lib/oauth/tokens";

export interface McpCaller {
  claims: AccessTokenClaims;
  /** Display names for audit events; null when the grant check was skipped (benchmarks). */
  grant: GrantStatus | null;
  scopes: string[];
  /** The permissions the user holds in the token's org now (empty when the grant check was skipped). */
  permissions: string[];
  authInfo: AuthInfo;
  /** The per-grant limit's verdict, when it was counted with the grant check (`countLimit`). */
  limit?: LimitResult;
}

function quote(v: string) {
  return `"${v.replace(/[\\"]/g, "")}"`;
}

/** A `WWW-Authenticate: Bearer` challenge naming our protected resource metadata (RFC 9728 §5.1). */
export function bearerChallenge(
  params: { error?: string; description?: string; scope?: string } = {},
): string {
  const parts = [`resource_metadata=${quote(protectedResourceMetadataUrl())}`];
  if (params.error) parts.unshift(`error=${quote(params.error)}`);
  if (params.scope) parts.push(`scope=${quote(params.scope)}`);
  if (params.description) parts.push(`error_description=${quote(params.description)}`);
  return `Bearer ${parts.join(", ")}`;
}

export function unauthorizedResponse(error?: string, description?: string): Response {
  return Response.json(
    { error: error ?? "invalid_token", error_description: description ?? "A bearer token is required." },
    {
      status: 401,
      headers: {
        "WWW-Authenticate": bearerChallenge(error ? { error, description } : {}),
        "Cache-Control": "no-store",
      },
    },
  );
}

/**
 * Authenticate a request to the MCP server: signature, issuer, audience, expiry, then the grant's
 * status and the user's current permissions in the org (one indexed query), so a revoked grant is
 * refused at once and a lost permission stops the agent on its next call. Returns a 401 otherwise.
 */
export async function authenticateMcpRequest(
  req: Request,
  /** countLimit: count the call against the grant's rate limit in the grant check's statement. */
  opts: { checkGrant?: boolean; countLimit?: boolean } = {},
): Promise<McpCaller | Response> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) return unauthorizedResponse();
  const token = match[1]!;
  let claims: AccessTokenClaims;
  try {
    claims = await verifyAccessToken(token, mcpResource());
  } catch (err) {
    if (err instanceof InvalidTokenError)
      return unauthorizedResponse("invalid_token", `The access token is not valid: ${err.message}.`);
    throw err;
  }
  let grant: GrantStatus | null = null;
  let limit: LimitResult | undefined;
  if (opts.checkGrant !== false) {
    if (opts.countLimit) {
      const found = await getGrantStatusAndHit(claims.grant_id, mcpGrantBucket(claims.grant_id));
      grant = found?.status ?? null;
      limit = found?.limit;
    } else {
      grant = await getGrantStatus(claims.grant_id);
    }
    if (!grant?.active || grant.userId !== claims.sub || grant.orgId !== claims.org_id) {
      return unauthorizedResponse("invalid_token", "The access was revoked.");
    }
  }
  const scopes = claims.scope.split(" ").filter(Boolean);
  return {
    claims,
    grant,
    scopes,
    permissions: grant?.permissions ?? [],
    limit,
    authInfo: {
      token,
      clientId: claims.client_id,
      scopes,
      expiresAt: claims.exp,
      resource: new URL(mcpResource()),
      extra: { userId: claims.sub, orgId: claims.org_id, grantId: claims.grant_id },
    },
  };
}

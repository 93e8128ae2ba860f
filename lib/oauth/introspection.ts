import "server-only";
import { authenticateClient, readClientCredentials } from "./clients";
import { invalidClient, invalidRequest } from "./errors";
import { effectiveScopes } from "./effective-access";
import { getGrantStatus } from "./grant-status";
import { knownResources } from "./issuer";
import { verifyAccessToken } from "./tokens";

/**
 * RFC 7662 for resource servers: a confidential client authenticates; the answer is
 * `{ active: false }` unless the token verifies, its grant still stands, and the caller is
 * platform-wide or of the token's org. `scope` is the effective scope (token ∩ the user's current
 * permissions), so a resource server relying on introspection never lets an agent exceed its user.
 */
export async function handleIntrospection(
  headers: Headers,
  form: URLSearchParams,
): Promise<Record<string, unknown>> {
  const caller = await authenticateClient(readClientCredentials(headers, form));
  if (caller.type !== "confidential") throw invalidClient("Introspection needs a confidential client.");
  const token = form.get("token");
  if (!token) throw invalidRequest("token is required.");
  for (const aud of knownResources()) {
    let claims;
    try {
      claims = await verifyAccessToken(token, aud);
    } catch {
      continue;
    }
    // A resource server registered by one org learns only about that org's tokens.
    if (caller.orgId && caller.orgId !== claims.org_id) return { active: false };
    const grant = await getGrantStatus(claims.grant_id);
    if (!grant?.active) return { active: false };
    return {
      active: true,
      // Effective access: the token's scopes the user can still exercise in the org right now.
      scope: effectiveScopes(claims.scope.split(" "), grant.permissions).join(" "),
      client_id: claims.client_id,
      sub: claims.sub,
      org_id: claims.org_id,
      grant_id: claims.grant_id,
      aud: claims.aud,
      iss: claims.iss,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      token_type: "Bearer",
    };
  }
  return { active: false };
}

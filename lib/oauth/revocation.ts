import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { authenticateClient, readClientCredentials } from "./clients";
import { getGrantStatus } from "./grant-status";
import { revokeGrant } from "./grants";
import { findRefreshToken } from "./refresh-tokens";
import { issuer, knownResources } from "./issuer";
import { invalidRequest } from "./errors";
import { verifyAccessToken } from "./tokens";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

/**
 * RFC 7009: revoke a refresh or access token. Either one revokes its whole grant, so every token
 * derived from it stops working. Unknown tokens and tokens of other clients are ignored (200).
 */
export async function handleRevocation(
  headers: Headers,
  form: URLSearchParams,
  context: RequestContext,
): Promise<void> {
  const client = await authenticateClient(readClientCredentials(headers, form));
  const token = form.get("token");
  if (!token) throw invalidRequest("token is required.");
  const hint = form.get("token_type_hint");
  let grantId: string | null = null;
  const tryRefresh = async () => {
    const row = await findRefreshToken(getDb(), token);
    if (row && row.clientId === client.id) grantId = row.grantId;
  };
  const tryAccess = async () => {
    for (const aud of knownResources()) {
      try {
        const claims = await verifyAccessToken(token, aud);
        if (claims.client_id === client.id && claims.iss === issuer()) grantId = claims.grant_id;
        return;
      } catch {
        // not an access token of ours for this audience
      }
    }
  };
  if (hint === "access_token") {
    await tryAccess();
    if (!grantId) await tryRefresh();
  } else {
    await tryRefresh();
    if (!grantId && token.split(".").length === 3) await tryAccess();
  }
  if (!grantId) return;
  const id: string = grantId;
  await getDb().transaction(async (tx) => {
    const status = await getGrantStatus(id, tx);
    const revoked = await revokeGrant(tx, id, "token_revocation");
    if (!revoked.length || !status) return;
    await recordAudit(tx, {
      orgId: status.orgId,
      actor: { type: "agent", id: client.id, name: client.name },
      onBehalfOf: { userId: status.userId },
      clientId: client.id,
      grantId: id,
      action: "oauth.grant_revoked",
      target: { type: "oauth_grant", id },
      context,
      metadata: { via: "revocation_endpoint" },
    });
    await emitWebhookEvent(tx, "oauth_grant.revoked", `oauth_grant:${id}`, { id, clientId: client.id, orgId: status.orgId, userId: status.userId, by: "token_revocation" });
  });
}

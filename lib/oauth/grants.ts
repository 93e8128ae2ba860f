import "server-only";
import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { oauthCodes, oauthGrants, oauthRefreshTokens } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";

export type RevokeReason =
  | "user"
  | "admin"
  | "code_reuse"
  | "refresh_reuse"
  | "client_blocked"
  | "client_disabled"
  | "token_revocation";

/**
 * Revoke the grants matching `where` (plus `revoked_at is null`) and everything derived from
 * them: refresh tokens and unused codes. Access tokens die with the grant status check.
 * Returns the revoked grants' ids. Call inside the transaction that records the audit event.
 */
export async function revokeGrantsWhere(
  tx: Executor,
  where: SQL,
  reason: RevokeReason,
): Promise<{ id: string; clientId: string; userId: string; orgId: string }[]> {
  const now = new Date();
  const revoked = await tx
    .update(oauthGrants)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(where, isNull(oauthGrants.revokedAt)))
    .returning({
      id: oauthGrants.id,
      clientId: oauthGrants.clientId,
      userId: oauthGrants.userId,
      orgId: oauthGrants.orgId,
    });
  const ids = revoked.map((g) => g.id);
  if (ids.length) {
    await tx
      .update(oauthRefreshTokens)
      .set({ revokedAt: now })
      .where(and(inArray(oauthRefreshTokens.grantId, ids), isNull(oauthRefreshTokens.revokedAt)));
    await tx
      .update(oauthCodes)
      .set({ usedAt: now })
      .where(and(inArray(oauthCodes.grantId, ids), isNull(oauthCodes.usedAt)));
  }
  return revoked;
}

/** Revoke one grant by id. */
export function revokeGrant(tx: Executor, grantId: string, reason: RevokeReason) {
  return revokeGrantsWhere(tx, eq(oauthGrants.id, grantId), reason);
}

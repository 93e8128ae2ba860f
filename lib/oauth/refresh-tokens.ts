import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { oauthRefreshTokens } from "@/drizzle/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Executor } from "@/lib/db";

export const REFRESH_TTL_SECONDS = 30 * 24 * 3600;

/** Issue a refresh token for a grant; only its SHA-256 is stored. */
export async function createRefreshToken(
  tx: Executor,
  input: { grantId: string; clientId: string; scopes: string[] },
): Promise<string> {
  const token = randomToken(32);
  await tx.insert(oauthRefreshTokens).values({
    ...input,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + REFRESH_TTL_SECONDS * 1000),
  });
  return token;
}

export type RefreshRow = typeof oauthRefreshTokens.$inferSelect;

/**
 * Use a refresh token once. The winner gets `{ row }`; a token that was already used (rotated
 * away) comes back as `{ reused }`, which the caller treats as theft and revokes the grant.
 */
export async function consumeRefreshToken(
  tx: Executor,
  token: string,
): Promise<{ row: RefreshRow } | { reused: RefreshRow } | null> {
  const hash = sha256(token);
  const [row] = await tx
    .update(oauthRefreshTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(oauthRefreshTokens.tokenHash, hash),
        isNull(oauthRefreshTokens.usedAt),
        isNull(oauthRefreshTokens.revokedAt),
      ),
    )
    .returning();
  if (row) return { row };
  const [old] = await tx.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenHash, hash));
  if (old?.usedAt) return { reused: old };
  return null;
}

/** Revoke one refresh token by value (RFC 7009); returns its grant when found. */
export async function findRefreshToken(tx: Executor, token: string): Promise<RefreshRow | null> {
  const [row] = await tx
    .select()
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenHash, sha256(token)));
  return row ?? null;
}

import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { type EmailTokenPurpose, emailTokens } from "@/drizzle/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Executor, Tx } from "@/lib/db";

export const TOKEN_TTL_MINUTES: Record<EmailTokenPurpose, number> = {
  email_confirm: 24 * 60,
  password_reset: 30,
  magic_link: 15,
};

/** Issue a mailed token (stored hashed); earlier unused tokens of the same purpose stop working. */
export async function issueEmailToken(
  tx: Tx,
  input: { purpose: EmailTokenPurpose; userId: string; email: string; loginFlowId?: string | null },
): Promise<string> {
  const now = new Date();
  await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, input.userId), eq(emailTokens.purpose, input.purpose), isNull(emailTokens.usedAt)));
  const token = randomToken(32);
  await tx.insert(emailTokens).values({
    tokenHash: sha256(token),
    purpose: input.purpose,
    userId: input.userId,
    email: input.email,
    loginFlowId: input.loginFlowId ?? null,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MINUTES[input.purpose] * 60_000),
  });
  return token;
}

export type RedeemedToken = typeof emailTokens.$inferSelect;

/**
 * Use a token once: the `used_at is null` and expiry checks are in the UPDATE itself, so of two
 * simultaneous clicks exactly one gets the row.
 */
export async function redeemEmailToken(db: Executor, purpose: EmailTokenPurpose, token: string): Promise<RedeemedToken | null> {
  if (typeof token !== "string" || token.length < 20 || token.length > 200) return null;
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(emailTokens.tokenHash, sha256(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, new Date()),
      ),
    )
    .returning();
  return row ?? null;
}

import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { oauthCodes } from "@/drizzle/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Executor } from "@/lib/db";

/** Authorization codes live 5 minutes (RFC 9700 and OAuth 2.1 ask for at most 10). */
export const CODE_TTL_SECONDS = 300;

export interface CodeInput {
  grantId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  resource: string;
}

/** Store a new code (hashed) and return the plaintext, which only the redirect carries. */
export async function createCode(tx: Executor, input: CodeInput): Promise<string> {
  const code = randomToken(32);
  await tx.insert(oauthCodes).values({
    ...input,
    codeHash: sha256(code),
    expiresAt: new Date(Date.now() + CODE_TTL_SECONDS * 1000),
  });
  return code;
}

export type CodeRow = typeof oauthCodes.$inferSelect;

/**
 * Consume a code: exactly one caller wins, under any concurrency (`update … where used_at is
 * null returning`). Returns `{ row }` for the winner, `{ reused }` when the code was already used.
 */
export async function consumeCode(
  tx: Executor,
  code: string,
): Promise<{ row: CodeRow } | { reused: CodeRow } | null> {
  const hash = sha256(code);
  const [row] = await tx
    .update(oauthCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(oauthCodes.codeHash, hash), isNull(oauthCodes.usedAt)))
    .returning();
  if (row) return { row };
  const [used] = await tx.select().from(oauthCodes).where(eq(oauthCodes.codeHash, hash));
  return used ? { reused: used } : null;
}

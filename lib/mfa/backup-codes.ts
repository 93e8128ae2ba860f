import "server-only";
import { randomInt } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { mfaBackupCodes } from "@/drizzle/schema";
import { keyedHash } from "@/lib/crypto";
import type { Executor, Tx } from "@/lib/db";

export const BACKUP_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i

/** "abcde-fghjk": 10 characters from 31, ~50 bits. */
function newCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function normalizeBackupCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Replace the user's backup codes with 10 new ones; returns them in clear, to be shown once. */
export async function regenerateBackupCodes(tx: Tx, userId: string): Promise<string[]> {
  await tx.delete(mfaBackupCodes).where(eq(mfaBackupCodes.userId, userId));
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, newCode);
  await tx.insert(mfaBackupCodes).values(codes.map((c) => ({ userId, codeHash: keyedHash(normalizeBackupCode(c)) })));
  return codes;
}

/** Use a backup code once; concurrent uses of one code: exactly one succeeds. */
export async function consumeBackupCode(db: Executor, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeBackupCode(code);
  if (normalized.length !== 10) return false;
  const rows = await db
    .update(mfaBackupCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(mfaBackupCodes.userId, userId), eq(mfaBackupCodes.codeHash, keyedHash(normalized)), isNull(mfaBackupCodes.usedAt)))
    .returning({ id: mfaBackupCodes.id });
  return rows.length === 1;
}

export async function remainingBackupCodes(db: Executor, userId: string): Promise<number> {
  const rows = await db
    .select({ id: mfaBackupCodes.id })
    .from(mfaBackupCodes)
    .where(and(eq(mfaBackupCodes.userId, userId), isNull(mfaBackupCodes.usedAt)));
  return rows.length;
}

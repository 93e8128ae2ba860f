import "server-only";
import { and, eq, isNull, ne } from "drizzle-orm";
import { loginFlows, mfaBackupCodes, mfaTotp, users } from "@/drizzle/schema";
import { revokeUserSessions } from "@/lib/auth/sessions";
import type { Tx } from "@/lib/db";

export interface AddressProof {
  /** The address was never confirmed before this proof: what its registrant set was removed. */
  claimed: boolean;
}

/**
 * The owner of an address just proved it (confirmation link, magic link, password reset). If the
 * account was never confirmed, whoever registered it may not be the owner (pre-account hijack): the
 * password, MFA factors, sessions and pending sign-ins set before the proof are removed, and the
 * owner is asked for their own password at the next step (UPDATE_PASSWORD_REQUIRED).
 * `keepFlowId`: the pending sign-in that proves it is the registrant's own (the confirmation link
 * opened in the browser that signed up) keeps everything. Runs in the caller's transaction.
 */
export async function proveAddress(tx: Tx, userId: string, opts: { keepFlowId?: string | null } = {}): Promise<AddressProof> {
  const [user] = await tx
    .select({ id: users.id, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!user || user.emailVerifiedAt) return { claimed: false };
  const now = new Date();
  if (opts.keepFlowId) {
    const [own] = await tx
      .select({ id: loginFlows.id })
      .from(loginFlows)
      .where(and(eq(loginFlows.id, opts.keepFlowId), eq(loginFlows.userId, userId), isNull(loginFlows.completedAt)));
    if (own) {
      await tx.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, userId));
      return { claimed: false };
    }
  }
  await tx.update(users).set({ emailVerifiedAt: now, passwordHash: null, passwordChangeRequired: true, updatedAt: now }).where(eq(users.id, userId));
  await tx.delete(mfaBackupCodes).where(eq(mfaBackupCodes.userId, userId));
  await tx.delete(mfaTotp).where(eq(mfaTotp.userId, userId));
  await revokeUserSessions(tx, userId, "address_claimed");
  await tx
    .update(loginFlows)
    .set({ expiresAt: now })
    .where(and(eq(loginFlows.userId, userId), isNull(loginFlows.completedAt), opts.keepFlowId ? ne(loginFlows.id, opts.keepFlowId) : undefined));
  return { claimed: true };
}

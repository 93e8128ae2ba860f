import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { type Executor, getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { signInLimits } from "@/lib/login-flow/limits";
import { sendSecurityNotice } from "@/lib/login-flow/security-mails";
import { hit, refund } from "@/lib/rate-limit";

const mfaKey = (userId: string) => `mfa:account:${userId}`;

export const mfaLocked = (retryAfterSeconds: number) =>
  new AppError(
    429,
    "mfa_locked",
    `Too many wrong codes for this account: two-factor codes are locked for ${Math.ceil(retryAfterSeconds / 60)} minutes. We sent you an email about it.`,
  );

/**
 * Reserve one code check against the account's MFA budget (shared by every pending sign-in and by
 * the account page), before the code is looked at. The first refusal locks: one `mfa.locked` event
 * and one mail to the owner.
 */
export async function reserveMfaAttempt(user: { id: string; email: string }, context: RequestContext, db: Executor = getDb()): Promise<void> {
  const limit = signInLimits().mfaPerAccount;
  const result = await hit(mfaKey(user.id), limit, db);
  if (result.allowed) return;
  if (result.hits === limit.max + 1) {
    await getDb().transaction(async (tx) => {
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: null, name: user.email },
        action: "mfa.locked",
        outcome: "denied",
        target: { type: "user", id: user.id, name: user.email },
        context,
        metadata: { limit },
      });
      await sendSecurityNotice(tx, user.email, "mfa_locked");
    });
  }
  throw mfaLocked(result.retryAfterSeconds);
}

/** A correct code does not count against the budget. */
export function refundMfaAttempt(userId: string, db: Executor = getDb()): Promise<void> {
  return refund(mfaKey(userId), db);
}

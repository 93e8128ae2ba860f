import "server-only";
import { eq } from "drizzle-orm";
import { mfaBackupCodes, mfaTotp } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb, type Tx } from "@/lib/db";
import { sendSecurityNotice } from "@/lib/login-flow/security-mails";
import { AppError, conflict } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { remainingBackupCodes, regenerateBackupCodes } from "./backup-codes";
import { refundMfaAttempt, reserveMfaAttempt } from "./budget";
import { consumeTotp, type Enrollment, isMfaEnrolled, startEnrollment } from "./totp";

type Actor = { id: string; email: string; name: string | null };
const invalidCode = () => new AppError(400, "invalid_code", "That code is not valid. Check your authenticator and try again.");

export async function mfaStatus(userId: string) {
  const db = getDb();
  const enrolled = await isMfaEnrolled(db, userId);
  return { enrolled, backupCodesLeft: enrolled ? await remainingBackupCodes(db, userId) : 0 };
}

/** Start enrolling from the account page (the same pending secret as in the sign-in flow). */
export async function beginAccountEnrollment(user: Actor, context: RequestContext): Promise<Enrollment> {
  return getDb().transaction(async (tx) => {
    if (await isMfaEnrolled(tx, user.id)) throw conflict("Two-factor authentication is already on.", "already_enrolled");
    return startEnrollment(tx, user, context);
  });
}

/** Confirm enrollment with a first code; returns the backup codes, shown once. */
export async function confirmAccountEnrollment(user: Actor, code: string, context: RequestContext): Promise<string[]> {
  return checkedCode(user, context, async (tx) => {
    if (!(await consumeTotp(tx, user.id, code, { enabling: true }))) return null;
    const codes = await regenerateBackupCodes(tx, user.id);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "mfa.enrolled",
      target: { type: "user", id: user.id, name: user.email },
      context,
      metadata: { method: "totp", from: "account" },
    });
    await sendSecurityNotice(tx, user.email, "mfa_added");
    return codes;
  });
}

/** New backup codes (the old ones stop working); needs a fresh authenticator code. */
export async function regenerateCodes(user: Actor, code: string, context: RequestContext): Promise<string[]> {
  return checkedCode(user, context, async (tx) => {
    if (!(await consumeTotp(tx, user.id, code))) return null;
    const codes = await regenerateBackupCodes(tx, user.id);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "mfa.backup_codes_regenerated",
      target: { type: "user", id: user.id, name: user.email },
      context,
    });
    await sendSecurityNotice(tx, user.email, "backup_codes_regenerated");
    return codes;
  });
}

/** Turn two-factor off; needs a fresh authenticator code. Required MFA is asked again at the next sign-in. */
export async function removeMfa(user: Actor, code: string, context: RequestContext): Promise<void> {
  await checkedCode(user, context, async (tx) => {
    if (!(await consumeTotp(tx, user.id, code))) return null;
    await tx.delete(mfaBackupCodes).where(eq(mfaBackupCodes.userId, user.id));
    await tx.delete(mfaTotp).where(eq(mfaTotp.userId, user.id));
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "mfa.removed",
      target: { type: "user", id: user.id, name: user.email },
      context,
    });
    await sendSecurityNotice(tx, user.email, "mfa_removed");
    return true;
  });
}

/**
 * A change that needs a fresh authenticator code: the check is reserved against the account's MFA
 * budget (shared with sign-in) first; `change` returns null for a wrong code.
 */
async function checkedCode<T>(user: Actor, context: RequestContext, change: (tx: Tx) => Promise<T | null>): Promise<T> {
  await reserveMfaAttempt(user, context);
  const result = await getDb().transaction(change);
  if (result === null) throw invalidCode();
  await refundMfaAttempt(user.id);
  return result;
}

import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { loginFlows } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { consumeBackupCode, regenerateBackupCodes } from "@/lib/mfa/backup-codes";
import { refundMfaAttempt, reserveMfaAttempt } from "@/lib/mfa/budget";
import { consumeTotp, type Enrollment, startEnrollment } from "@/lib/mfa/totp";
import { type FlowRow, requireFlowState } from "./flow";
import { LIMITS } from "./limits";
import { sendSecurityNotice } from "./security-mails";

export const totpCodeSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code") }).strict();
export const verifyMfaSchema = z.union([
  totpCodeSchema,
  z.object({ backupCode: z.string().trim().min(10, "Enter a backup code").max(20) }).strict(),
]);

/** TWO_FACTOR_ENROLLMENT_REQUIRED → a secret to scan (QR code) or type in. */
export async function beginMfaEnrollment(context: RequestContext): Promise<Enrollment> {
  const { user, facts } = await requireFlowState("TWO_FACTOR_ENROLLMENT_REQUIRED");
  if (facts.passkeyRequired) throw passkeyRequired();
  return getDb().transaction((tx) => startEnrollment(tx, user!, context));
}

/** An org of the user requires a phishing-resistant factor: an app code does not satisfy it. */
const passkeyRequired = () => new AppError(409, "passkey_required", "Your organization requires a passkey. Use or add a passkey to continue.");
const tooManyCodes = () => new AppError(429, "too_many_attempts", "Too many wrong codes. Sign in again.");

/**
 * Reserve one code check on this pending sign-in and on the account, before the code is looked at:
 * the flow's counter is raised only while under the limit (one conditional UPDATE), so concurrent
 * guesses cannot overrun it; past the limit the pending sign-in ends.
 */
export async function reserveCodeCheck(flow: FlowRow, user: { id: string; email: string } | null, context: RequestContext): Promise<number> {
  const db = getDb();
  const [row] = await db
    .update(loginFlows)
    .set({ failedMfaAttempts: sql`${loginFlows.failedMfaAttempts} + 1` })
    .where(and(eq(loginFlows.id, flow.id), lt(loginFlows.failedMfaAttempts, LIMITS.mfaAttemptsPerFlow)))
    .returning({ attempts: loginFlows.failedMfaAttempts });
  if (!row) {
    await db.update(loginFlows).set({ expiresAt: new Date() }).where(eq(loginFlows.id, flow.id));
    throw tooManyCodes();
  }
  // A passkey that matches no account (sign-in by passkey) counts against the pending sign-in only.
  if (user) await reserveMfaAttempt(user, context);
  return row.attempts;
}

/** A wrong code (already counted by the reservation); the last one the flow allows ends it. */
async function wrongCode(flow: FlowRow, user: { id: string; email: string }, attempts: number, context: RequestContext, kind: string): Promise<never> {
  const over = attempts >= LIMITS.mfaAttemptsPerFlow;
  await getDb().transaction(async (tx) => {
    if (over) await tx.update(loginFlows).set({ expiresAt: new Date() }).where(eq(loginFlows.id, flow.id));
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id },
      action: "mfa.failed",
      outcome: "failure",
      target: { type: "user", id: user.id, name: user.email },
      context,
      metadata: { kind, attempts, signInEnded: over },
    });
  });
  if (over) throw tooManyCodes();
  throw new AppError(400, "invalid_code", "That code is not valid. Check your authenticator and try again.");
}

/** Enrollment confirmed by a first code: enables TOTP and returns 10 backup codes, shown once. */
export async function confirmMfaEnrollment(input: z.infer<typeof totpCodeSchema>, context: RequestContext): Promise<{ backupCodes: string[] }> {
  const { flow, user } = await requireFlowState("TWO_FACTOR_ENROLLMENT_REQUIRED");
  const attempts = await reserveCodeCheck(flow, user!, context);
  const codes = await getDb().transaction(async (tx) => {
    if (!(await consumeTotp(tx, user!.id, input.code, { enabling: true }))) return null;
    const backupCodes = await regenerateBackupCodes(tx, user!.id);
    await tx.update(loginFlows).set({ mfaVerifiedAt: new Date() }).where(eq(loginFlows.id, flow.id));
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user!.id, name: user!.name ?? user!.email },
      action: "mfa.enrolled",
      target: { type: "user", id: user!.id, name: user!.email },
      context,
      metadata: { method: "totp", backupCodes: backupCodes.length },
    });
    await sendSecurityNotice(tx, user!.email, "mfa_added");
    return backupCodes;
  });
  if (!codes) return wrongCode(flow, user!, attempts, context, "totp_enrollment");
  await refundMfaAttempt(user!.id);
  return { backupCodes: codes };
}

/** TWO_FACTOR_REQUIRED → a TOTP code or a backup code, each accepted once. */
export async function verifyMfa(input: z.infer<typeof verifyMfaSchema>, context: RequestContext): Promise<void> {
  const { flow, user, facts } = await requireFlowState("TWO_FACTOR_REQUIRED");
  if (facts.mfaVerified) throw passkeyRequired();
  const usingBackup = "backupCode" in input;
  const attempts = await reserveCodeCheck(flow, user!, context);
  const ok = await getDb().transaction(async (tx) => {
    const accepted = usingBackup ? await consumeBackupCode(tx, user!.id, input.backupCode) : await consumeTotp(tx, user!.id, input.code);
    if (!accepted) return false;
    await tx.update(loginFlows).set({ mfaVerifiedAt: new Date() }).where(eq(loginFlows.id, flow.id));
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user!.id, name: user!.name ?? user!.email },
      action: usingBackup ? "mfa.backup_code_used" : "mfa.verified",
      target: { type: "user", id: user!.id, name: user!.email },
      context,
    });
    if (usingBackup) await sendSecurityNotice(tx, user!.email, "backup_code_used");
    return true;
  });
  if (!ok) await wrongCode(flow, user!, attempts, context, usingBackup ? "backup_code" : "totp");
  await refundMfaAttempt(user!.id);
}

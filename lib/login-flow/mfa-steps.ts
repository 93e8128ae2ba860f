import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { loginFlows } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { consumeBackupCode, regenerateBackupCodes } from "@/lib/mfa/backup-codes";
import { consumeTotp, type Enrollment, startEnrollment } from "@/lib/mfa/totp";
import { type FlowRow, requireFlowState } from "./flow";
import { LIMITS } from "./limits";

export const totpCodeSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code") }).strict();
export const verifyMfaSchema = z.union([
  totpCodeSchema,
  z.object({ backupCode: z.string().trim().min(10, "Enter a backup code").max(20) }).strict(),
]);

/** TWO_FACTOR_ENROLLMENT_REQUIRED → a secret to scan (QR code) or type in. */
export async function beginMfaEnrollment(context: RequestContext): Promise<Enrollment> {
  const { user } = await requireFlowState("TWO_FACTOR_ENROLLMENT_REQUIRED");
  return getDb().transaction((tx) => startEnrollment(tx, user!, context));
}

/** Count a wrong code; the fifth ends the pending sign-in. */
async function wrongCode(flow: FlowRow, userId: string, context: RequestContext, kind: string): Promise<never> {
  const db = getDb();
  const ended = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(loginFlows)
      .set({ failedMfaAttempts: sql`${loginFlows.failedMfaAttempts} + 1` })
      .where(eq(loginFlows.id, flow.id))
      .returning({ failed: loginFlows.failedMfaAttempts });
    const over = (row?.failed ?? 0) >= LIMITS.mfaAttemptsPerFlow;
    if (over) await tx.update(loginFlows).set({ expiresAt: new Date() }).where(eq(loginFlows.id, flow.id));
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: userId },
      action: "mfa.failed",
      outcome: "failure",
      target: { type: "user", id: userId },
      context,
      metadata: { kind, attempts: row?.failed ?? 0, signInEnded: over },
    });
    return over;
  });
  if (ended) throw new AppError(429, "too_many_attempts", "Too many wrong codes. Sign in again.");
  throw new AppError(400, "invalid_code", "That code is not valid. Check your authenticator and try again.");
}

/** Enrollment confirmed by a first code: enables TOTP and returns 10 backup codes, shown once. */
export async function confirmMfaEnrollment(input: z.infer<typeof totpCodeSchema>, context: RequestContext): Promise<{ backupCodes: string[] }> {
  const { flow, user } = await requireFlowState("TWO_FACTOR_ENROLLMENT_REQUIRED");
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
    return backupCodes;
  });
  if (!codes) return wrongCode(flow, user!.id, context, "totp_enrollment");
  return { backupCodes: codes };
}

/** TWO_FACTOR_REQUIRED → a TOTP code or a backup code, each accepted once. */
export async function verifyMfa(input: z.infer<typeof verifyMfaSchema>, context: RequestContext): Promise<void> {
  const { flow, user } = await requireFlowState("TWO_FACTOR_REQUIRED");
  const usingBackup = "backupCode" in input;
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
    return true;
  });
  if (!ok) await wrongCode(flow, user!.id, context, usingBackup ? "backup_code" : "totp");
}

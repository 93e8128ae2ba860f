import "server-only";
import { getBrand } from "@/lib/brand";
import { and, eq, isNotNull, isNull, lt } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { mfaTotp } from "@/drizzle/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { recordAudit } from "@/lib/audit/record";
import type { Executor, Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";

const PERIOD = 30;

function totpFor(secretBase32: string, label: string) {
  // RFC 6238: SHA-1, 6 digits, 30-second steps.
  return new TOTP({ issuer: getBrand().productName, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** The 30-second step a code belongs to if it is valid now (±1 step for clock drift), else null. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, "x").validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** The current code for a secret (tests, and the benchmark). */
export function currentCode(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32, "x").generate({ timestamp: now });
}

export interface Enrollment {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/**
 * Start (or resume) enrollment: a pending secret, encrypted at rest, shown to the user as a QR code
 * and as text. Nothing is enabled until a code confirms it.
 */
export async function startEnrollment(tx: Tx, user: { id: string; email: string; name?: string | null }, context?: RequestContext): Promise<Enrollment> {
  const [existing] = await tx.select().from(mfaTotp).where(eq(mfaTotp.userId, user.id)).for("update");
  if (existing?.enabledAt) throw new Error("MFA is already enrolled");
  let secret: string;
  if (existing) {
    secret = decryptSecret(existing.secretEncrypted);
  } else {
    secret = new Secret({ size: 20 }).base32;
    await tx.insert(mfaTotp).values({ userId: user.id, secretEncrypted: encryptSecret(secret) });
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "mfa.enrollment_started",
      target: { type: "user", id: user.id, name: user.email },
      context: context ?? null,
      metadata: { method: "totp" },
    });
  }
  const otpauthUrl = totpFor(secret, user.email).toString();
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 200 }) };
}

/**
 * Accept a code once: the step is recorded with `last_used_step < step` in the where clause, so a
 * code (or an older one) can never be accepted twice, even by simultaneous requests.
 * `enabling` confirms a pending enrollment; otherwise the authenticator must be enabled.
 */
export async function consumeTotp(db: Executor, userId: string, code: string, opts: { enabling?: boolean } = {}): Promise<boolean> {
  const [row] = await db.select().from(mfaTotp).where(eq(mfaTotp.userId, userId));
  if (!row || Boolean(row.enabledAt) === Boolean(opts.enabling)) return false;
  const step = matchingStep(decryptSecret(row.secretEncrypted), code);
  if (step === null) return false;
  const updated = await db
    .update(mfaTotp)
    .set({ lastUsedStep: step, ...(opts.enabling ? { enabledAt: new Date() } : {}) })
    .where(
      and(
        eq(mfaTotp.userId, userId),
        lt(mfaTotp.lastUsedStep, step),
        opts.enabling ? isNull(mfaTotp.enabledAt) : isNotNull(mfaTotp.enabledAt),
      ),
    )
    .returning({ userId: mfaTotp.userId });
  return updated.length === 1;
}

export async function isMfaEnrolled(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ enabledAt: mfaTotp.enabledAt }).from(mfaTotp).where(eq(mfaTotp.userId, userId));
  return Boolean(row?.enabledAt);
}

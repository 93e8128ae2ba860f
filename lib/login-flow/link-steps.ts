import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { MAX_PASSWORD_LENGTH, passwordProblem } from "@/lib/auth/password-policy";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";
import { invalidInput } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { enforce } from "@/lib/rate-limit";
import { assertLocalSignInAllowed } from "@/lib/sso/routing";
import { normalizeEmail } from "@/lib/users/queries";
import { expiredLink } from "./email-steps";
import { issueEmailToken, redeemEmailToken } from "./email-tokens";
import { createFlow } from "./flow";
import { proveAddress } from "./address-proof";
import { runInBackground } from "./background";
import { mailLimits } from "./limits";
import { sendSecurityNotice } from "./security-mails";
import { clearConsecutiveFailures } from "./sign-in-throttle";
import { sendMagicLink, sendPasswordReset } from "./mails";

export const emailOnlySchema = z.object({ email: z.email("Enter a valid email address").max(320), returnTo: z.string().max(2000).optional() }).strict();
export const tokenSchema = z.object({ token: z.string().min(20).max(200) }).strict();
export const resetPasswordSchema = z.object({ token: z.string().min(20).max(200), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }).strict();

/**
 * Reserve the mail budgets, then issue the token and queue the mail off the request path: the
 * answer takes the same time whether or not the address has an account.
 */
async function mailLink(purpose: "password_reset" | "magic_link", emailInput: string, context: RequestContext) {
  const email = normalizeEmail(emailInput);
  if (purpose === "magic_link") await assertLocalSignInAllowed(email, "magic_link"); // Enterprise SSO
  await enforce(`mail:ip:${context.ip ?? "unknown"}`, mailLimits().mailsPerIp);
  await enforce(`mail:${email}`, mailLimits().mailsPerAddress);
  runInBackground(purpose, () =>
    getDb().transaction(async (tx) => {
      const [user] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, email), isNull(users.disabledAt)));
      if (!user) return; // same answer either way
      const token = await issueEmailToken(tx, { purpose, userId: user.id, email });
      await (purpose === "password_reset" ? sendPasswordReset(tx, email, token) : sendMagicLink(tx, email, token));
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: user.id, name: email },
        action: purpose === "password_reset" ? "password.reset_requested" : "login.magic_link_sent",
        target: { type: "user", id: user.id, name: email },
        context,
      });
    }),
  );
}

/** Mail a password-reset link if the address has an account. The answer never says which. */
export const requestPasswordReset = (email: string, context: RequestContext) => mailLink("password_reset", email, context);

/** Mail a sign-in link if the address has an account. The answer never says which. */
export const requestMagicLink = (email: string, context: RequestContext) => mailLink("magic_link", email, context);

/**
 * Redeem a magic link: it proves the mailbox, so it starts a pending sign-in that counts as
 * authenticated (MFA and every other step still apply).
 */
export async function redeemMagicLink(token: string, context: RequestContext): Promise<void> {
  const ok = await getDb().transaction(async (tx) => {
    const row = await redeemEmailToken(tx, "magic_link", token);
    if (!row) return false;
    const [user] = await tx.select().from(users).where(and(eq(users.id, row.userId), eq(users.email, row.email), isNull(users.disabledAt)));
    if (!user) return false;
    const { claimed } = await proveAddress(tx, user.id);
    await clearConsecutiveFailures(user.email, tx);
    await createFlow(tx, { userId: user.id, email: user.email, method: "magic_link", authenticated: true, context });
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "login.magic_link_used",
      target: { type: "user", id: user.id, name: user.email },
      context,
      ...(claimed ? { metadata: { claimed: true, removed: ["password", "mfa", "sessions", "pending_sign_ins"] } } : {}),
    });
    return true;
  });
  if (!ok) throw expiredLink();
}

/** Set a new password from a reset link (single use); every session of the user ends. */
export async function resetPassword(input: z.infer<typeof resetPasswordSchema>, context: RequestContext): Promise<void> {
  // Check the password first, so a rejected password does not burn the link.
  const problem = passwordProblem(input.password);
  if (problem) throw invalidInput(problem, { password: problem });
  const passwordHash = await hashPassword(input.password);
  const ok = await getDb().transaction(async (tx) => {
    const row = await redeemEmailToken(tx, "password_reset", input.token);
    if (!row) return false;
    const [owner] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, row.userId), eq(users.email, row.email)));
    if (!owner) return false;
    const { claimed } = await proveAddress(tx, row.userId);
    await clearConsecutiveFailures(row.email, tx);
    const updated = await tx
      .update(users)
      .set({ passwordHash, passwordChangeRequired: false, updatedAt: new Date() })
      .where(and(eq(users.id, row.userId), eq(users.email, row.email)))
      .returning({ id: users.id, emailVerifiedAt: users.emailVerifiedAt });
    if (!updated[0]) return false;
    const revoked = await revokeUserSessions(tx, row.userId, "password_reset");
    await sendSecurityNotice(tx, row.email, "password_changed", "with a reset link");
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: row.userId, name: row.email },
      action: "password.reset",
      target: { type: "user", id: row.userId, name: row.email },
      context,
      metadata: { sessionsRevoked: revoked, ...(claimed ? { claimed: true } : {}) },
    });
    return true;
  });
  if (!ok) throw expiredLink();
}

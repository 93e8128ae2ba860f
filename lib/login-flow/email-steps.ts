import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { loginFlows, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { enforce } from "@/lib/rate-limit";
import { normalizeEmail } from "@/lib/users/queries";
import { issueEmailToken, redeemEmailToken } from "./email-tokens";
import { proveAddress } from "./address-proof";
import { createFlow, currentFlow, requireFlowState } from "./flow";
import { mailLimits } from "./limits";
import { sendAlreadyRegistered, sendConfirmEmail } from "./mails";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

const expiredLink = () => new AppError(410, "link_expired", "This link has expired or was already used. Ask for a new one.");

/** EMAIL_NOT_CONFIRMED_YET → send the confirmation again (throttled per address). Same answer for every address. */
export async function resendConfirmation(context: RequestContext): Promise<void> {
  const { flow, user } = await requireFlowState("EMAIL_NOT_CONFIRMED_YET");
  const email = flow.email ?? user?.email ?? "";
  await enforce(`mail:${email}`, mailLimits().mailsPerAddress);
  await enforce(`mail:ip:${context.ip ?? "unknown"}`, mailLimits().mailsPerIp);
  await getDb().transaction(async (tx) => {
    if (!user) await sendAlreadyRegistered(tx, email);
    else await sendConfirmEmail(tx, user.email, await issueEmailToken(tx, { purpose: "email_confirm", userId: user.id, email: user.email, loginFlowId: flow.id }));
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user?.id ?? null, name: email },
      action: "email.confirmation_resent",
      outcome: user ? "success" : "failure",
      target: { type: "user", id: user?.id ?? null, name: email },
      context,
    });
  });
}

export const changeEmailSchema = z.object({ email: z.email("Enter a valid email address").max(320) }).strict();

/**
 * EMAIL_NOT_CONFIRMED_YET → correct a mistyped address. If the new address is taken, the flow
 * quietly becomes a "taken address" flow, so the answer reveals nothing.
 */
export async function changeUnconfirmedEmail(input: z.infer<typeof changeEmailSchema>, context: RequestContext): Promise<void> {
  const { flow, user } = await requireFlowState("EMAIL_NOT_CONFIRMED_YET");
  const email = normalizeEmail(input.email);
  await enforce(`mail:${email}`, mailLimits().mailsPerAddress);
  await getDb().transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!user || taken) {
      await tx.update(loginFlows).set({ userId: null, email }).where(eq(loginFlows.id, flow.id));
      await sendAlreadyRegistered(tx, email);
      return;
    }
    await tx.update(users).set({ email, updatedAt: new Date() }).where(and(eq(users.id, user.id), isNull(users.emailVerifiedAt)));
    await tx.update(loginFlows).set({ email }).where(eq(loginFlows.id, flow.id));
    const token = await issueEmailToken(tx, { purpose: "email_confirm", userId: user.id, email, loginFlowId: flow.id });
    await sendConfirmEmail(tx, email, token);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: email },
      action: "user.email_changed",
      target: { type: "user", id: user.id, name: email },
      context,
      metadata: { before: { email: user.email }, after: { email } },
    });
    await emitWebhookEvent(tx, "user.updated", `user:${user.id}`, { id: user.id, email, before: { email: user.email } });
  });
}

/**
 * Confirm an address from the mailed link (single use). Returns whether this browser now has a
 * pending sign-in to carry on with: the one that asked, or — when the account was never confirmed
 * and this is another browser — a new one that asks the owner for their own password (no pre-hijack).
 */
export async function confirmEmail(token: string, context: RequestContext): Promise<{ continueSignIn: boolean }> {
  const db = getDb();
  const current = await currentFlow();
  const redeemed = await db.transaction(async (tx) => {
    const row = await redeemEmailToken(tx, "email_confirm", token);
    if (!row) return null;
    const [owner] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, row.userId), eq(users.email, row.email)));
    if (!owner) return null; // the address changed since the mail went out
    const own = current && current.id === row.loginFlowId ? current.id : null;
    const { claimed } = await proveAddress(tx, row.userId, { keepFlowId: own });
    if (claimed) await createFlow(tx, { userId: row.userId, email: row.email, method: "email_confirm", authenticated: true, context });
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: row.userId, name: row.email },
      action: "email.confirmed",
      target: { type: "user", id: row.userId, name: row.email },
      context,
      ...(claimed ? { metadata: { claimed: true, removed: ["password", "mfa", "sessions", "pending_sign_ins"] } } : {}),
    });
    return { row, claimed };
  });
  if (!redeemed) throw expiredLink();
  return { continueSignIn: redeemed.claimed || Boolean(current && current.id === redeemed.row.loginFlowId) };
}

export { expiredLink };

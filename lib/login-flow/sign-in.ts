import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";
import { isCommonPassword, MAX_PASSWORD_LENGTH, passwordProblem } from "@/lib/auth/password-policy";
import { type Executor, getDb, preparedRows, type Tx } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { enforce } from "@/lib/rate-limit";
import { assertLocalSignInAllowed } from "@/lib/sso/routing";
import { normalizeEmail } from "@/lib/users/queries";
import { runInBackground } from "./background";
import { issueEmailToken } from "./email-tokens";
import { createFlow } from "./flow";
import { rememberedDevice } from "./device-cookie";
import { mailLimits, signInLimits } from "./limits";
import { sendSecurityNotice } from "./security-mails";
import { reserveSignInAttempt, settleSuccessfulSignIn, type ThrottleScope } from "./sign-in-throttle";
import { sendAlreadyRegistered, sendConfirmEmail } from "./mails";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

export const credentialsSchema = z.object({
  email: z.email("Enter a valid email address").max(320),
  password: z.string().min(1, "Enter your password").max(MAX_PASSWORD_LENGTH),
  returnTo: z.string().max(2000).optional(),
});
export type CredentialsInput = z.infer<typeof credentialsSchema>;

export const invalidCredentials = () =>
  new AppError(401, "invalid_credentials", "That email and password do not match an account.");

// The password step runs on every sign-in: its user lookup is a prepared statement, built once
// per database handle.
const userByEmailStatements = new WeakMap<Executor, ReturnType<typeof prepareUserByEmail>>();
const prepareUserByEmail = (db: Executor) =>
  db
    .select({ id: users.id, name: users.name, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, sql.placeholder("email")))
    .prepare("gh_user_by_email_for_sign_in");
function userByEmail(db: Executor) {
  let statement = userByEmailStatements.get(db);
  if (!statement) userByEmailStatements.set(db, (statement = prepareUserByEmail(db)));
  return statement;
}

/**
 * LOGIN_REQUIRED → check email and password and start a pending sign-in. Known and unknown emails
 * take the same time and get the same answer. The attempt is reserved against the failure budgets
 * (sign-in-throttle.ts) before the password is checked, so the argon2 work runs only under them.
 */
export async function signInWithPassword(input: CredentialsInput, context: RequestContext): Promise<void> {
  const email = normalizeEmail(input.email);
  const db = getDb();
  await assertLocalSignInAllowed(email, "password", db); // Enterprise SSO: an org may require its IdP
  const device = await rememberedDevice(email);
  // The reservation and the user lookup are independent: one round trip's wait, not two.
  const [reservation, [user]] = await Promise.all([reserveSignInAttempt(email, device, context, db), userByEmail(db).execute({ email })]);
  if (reservation.refused) {
    if (reservation.refused.firstOfLock) await recordThrottle(user, email, reservation.refused.scope, context);
    throw reservation.refused.error;
  }
  const valid = await verifyPassword(user?.passwordHash, input.password);

  if (!user || !valid || user.disabledAt) {
    const hardStop = signInLimits().hardStop.max;
    await db.transaction(async (tx) => {
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: user?.id ?? null, name: email },
        action: "login.failed",
        outcome: "failure",
        target: { type: "user", id: user?.id ?? null, name: email },
        context,
        metadata: { reason: !user ? "unknown_email" : user.disabledAt ? "account_disabled" : "wrong_password", method: "password" },
      });
      // The failure that reaches the hard stop locks the account: one event and one mail per lock.
      if (reservation.consecutive === hardStop) await recordLock(tx, user, email, context, hardStop);
    });
    throw invalidCredentials();
  }
  if (needsRehash(user.passwordHash!)) {
    // Hashes follow the current argon2 parameters: re-computed while the clear password is at hand.
    await db.update(users).set({ passwordHash: await hashPassword(input.password) }).where(eq(users.id, user.id));
  }
  // A password that has since landed on the blocklist must be replaced before going on.
  if (isCommonPassword(input.password)) {
    await db.update(users).set({ passwordChangeRequired: true }).where(eq(users.id, user.id));
  }
  // Settling the reservation and opening the pending sign-in are independent: one round trip's
  // wait. The sign-in itself is audited when it completes (login.succeeded) or fails (login.failed).
  await Promise.all([
    settleSuccessfulSignIn(reservation.keys, device, db),
    createFlow(db, { userId: user.id, email, method: "password", returnTo: input.returnTo, authenticated: true, context }),
  ]);
}

type SignInUser = { id: string; name: string | null } | undefined;

/** The first refusal of a budget: one `login.throttled` event (an account budget also tells the owner). */
async function recordThrottle(user: SignInUser, email: string, scope: ThrottleScope, context: RequestContext) {
  await getDb().transaction(async (tx) => {
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: null, name: email },
      action: "login.throttled",
      outcome: "denied",
      target: { type: "user", id: user?.id ?? null, name: email },
      context,
      metadata: { scope, limit: signInLimits()[scope === "client" ? "perClient" : scope === "device" ? "perDevice" : scope === "ip" ? "perIp" : "perAccount"] },
    });
    if (user && scope === "account") await sendSecurityNotice(tx, email, "account_locked", "password sign-in is paused for a while");
  });
}

async function recordLock(tx: Tx, user: SignInUser, email: string, context: RequestContext, failures: number) {
  await recordAudit(tx, {
    orgId: null,
    actor: { type: "user", id: null, name: email },
    action: "login.locked",
    outcome: "denied",
    target: { type: "user", id: user?.id ?? null, name: email },
    context,
    metadata: { consecutiveFailures: failures, unlock: ["password_reset", "magic_link"] },
  });
  if (user) await sendSecurityNotice(tx, email, "account_locked", `after ${failures} failed attempts; reset your password or ask for a sign-in link to get back in`);
}

/**
 * Sign up. For an address that already has an account the answer is the same ("check your
 * inbox"), and so is the time: both hash the password, both run one upsert of the user (a taken
 * address is left as it was: no second way in), a pending sign-in and an audit event; the mail (a
 * confirmation, or "you already have an account") is queued after the answer.
 */
export async function signUp(input: CredentialsInput, context: RequestContext): Promise<void> {
  const email = normalizeEmail(input.email);
  const problem = passwordProblem(input.password, { email });
  if (problem) throw invalidInput(problem, { password: problem });
  await enforce(`signup:ip:${context.ip ?? "unknown"}`, mailLimits().signUpPerIp);
  await enforce(`mail:${email}`, mailLimits().mailsPerAddress);

  const passwordHash = await hashPassword(input.password);
  const { user, flowId } = await getDb().transaction(async (tx) => {
    // `xmax = 0` tells a fresh row from a taken address (whose row the no-op update leaves unchanged).
    const [row] = await preparedRows<{ id: string; inserted: boolean }>(
      tx,
      "gh_sign_up_user",
      sql`insert into users (email, password_hash) values (${email}, ${passwordHash})
        on conflict (email) do update set email = excluded.email
        returning id, (xmax = 0) as inserted`,
    );
    const fresh = Boolean(row!.inserted);
    const flow = await createFlow(tx, { userId: fresh ? row!.id : null, email, method: "signup", returnTo: input.returnTo, authenticated: true, context });
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: fresh ? row!.id : null, name: email },
      action: fresh ? "user.signed_up" : "user.signup_existing_email",
      ...(fresh ? {} : { outcome: "failure" as const }),
      target: { type: "user", id: row!.id, name: email },
      context,
    });
    if (fresh) await emitWebhookEvent(tx, "user.created", `user:${row!.id}`, { id: row!.id, email });
    return { user: fresh ? row!.id : null, flowId: flow.id };
  });
  runInBackground("sign-up mail", () =>
    getDb().transaction(async (tx) => {
      if (!user) return void (await sendAlreadyRegistered(tx, email));
      await sendConfirmEmail(tx, email, await issueEmailToken(tx, { purpose: "email_confirm", userId: user, email, loginFlowId: flowId }));
    }),
  );
}

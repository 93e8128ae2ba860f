import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { isCommonPassword, MAX_PASSWORD_LENGTH, passwordProblem } from "@/lib/auth/password-policy";
import { type Executor, getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { assertUnder, enforce, hit, reset } from "@/lib/rate-limit";
import { normalizeEmail } from "@/lib/users/queries";
import { issueEmailToken } from "./email-tokens";
import { createFlow } from "./flow";
import { LIMITS } from "./limits";
import { sendAlreadyRegistered, sendConfirmEmail } from "./mails";

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
 * take the same time and get the same answer; failures are throttled per account and per IP.
 */
export async function signInWithPassword(input: CredentialsInput, context: RequestContext): Promise<void> {
  const email = normalizeEmail(input.email);
  const accountKey = `login:fail:${email}`;
  const ipKey = `login:fail:ip:${context.ip ?? "unknown"}`;
  const db = getDb();
  // The throttle check and the user lookup are independent reads: one round trip's wait, not two.
  const [failures, [user]] = await Promise.all([
    assertUnder({ [accountKey]: LIMITS.failuresPerAccount.max, [ipKey]: LIMITS.failuresPerIp.max }),
    userByEmail(db).execute({ email }),
  ]);
  const valid = await verifyPassword(user?.passwordHash, input.password);

  if (!user || !valid || user.disabledAt) {
    await hit(accountKey, LIMITS.failuresPerAccount);
    await hit(ipKey, LIMITS.failuresPerIp);
    await db.transaction((tx) =>
      recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: user?.id ?? null, name: email },
        action: "login.failed",
        outcome: "failure",
        target: { type: "user", id: user?.id ?? null, name: email },
        context,
        metadata: { reason: !user ? "unknown_email" : user.disabledAt ? "account_disabled" : "wrong_password", method: "password" },
      }),
    );
    throw invalidCredentials();
  }
  if (failures[accountKey]) await reset(accountKey);
  // A password that has since landed on the blocklist must be replaced before going on.
  if (isCommonPassword(input.password)) {
    await db.update(users).set({ passwordChangeRequired: true }).where(eq(users.id, user.id));
  }
  // The sign-in itself is audited when it completes (login.succeeded) or fails (login.failed).
  await createFlow(db, { userId: user.id, email, method: "password", returnTo: input.returnTo, authenticated: true, context });
}

/**
 * Sign up. For an address that already has an account the answer is the same ("check your
 * inbox"); that address gets a "you already have an account" mail instead of a confirmation.
 */
export async function signUp(input: CredentialsInput, context: RequestContext): Promise<void> {
  const email = normalizeEmail(input.email);
  const problem = passwordProblem(input.password, { email });
  if (problem) throw invalidInput(problem, { password: problem });
  await enforce(`signup:ip:${context.ip ?? "unknown"}`, LIMITS.signUpPerIp);
  await enforce(`mail:${email}`, LIMITS.mailsPerAddress);

  const passwordHash = await hashPassword(input.password); // also for taken addresses: same time
  await getDb().transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) {
      await createFlow(tx, { userId: null, email, method: "signup", returnTo: input.returnTo, authenticated: true, context });
      await sendAlreadyRegistered(tx, email);
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: null, name: email },
        action: "user.signup_existing_email",
        outcome: "failure",
        target: { type: "user", id: existing.id, name: email },
        context,
      });
      return;
    }
    const [user] = await tx.insert(users).values({ email, passwordHash }).returning({ id: users.id });
    const flow = await createFlow(tx, { userId: user!.id, email, method: "signup", returnTo: input.returnTo, authenticated: true, context });
    const token = await issueEmailToken(tx, { purpose: "email_confirm", userId: user!.id, email, loginFlowId: flow.id });
    await sendConfirmEmail(tx, email, token);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user!.id, name: email },
      action: "user.signed_up",
      target: { type: "user", id: user!.id, name: email },
      context,
    });
  });
}

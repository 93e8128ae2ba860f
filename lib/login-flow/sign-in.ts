import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword, needsRehash } from "@/lib/auth/password";
import { isCommonPassword, MAX_PASSWORD_LENGTH, passwordProblem } from "@/lib/auth/password-policy";
import { randomToken } from "@/lib/crypto";
import { getDb, preparedRows, type Tx } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { enforce, refundAll, reservationResults, reserveAllSql } from "@/lib/rate-limit";
import { emailDomain } from "@/lib/sso/home-realm";
import { type ClaimFacts, claimFactsSql, decideRoute, ssoRequired } from "@/lib/sso/routing";
import { normalizeEmail } from "@/lib/users/queries";
import { runInBackground } from "./background";
import { issueEmailToken } from "./email-tokens";
import { createFlow, discardFlowSql, flowInsertSql, setFlowCookie } from "./flow";
import { rememberedDevice } from "./device-cookie";
import { forgetHint, startEarlyVerify, verifyAdmitted } from "./early-verify";
import { mailLimits, signInLimits } from "./limits";
import { sendSecurityNotice } from "./security-mails";
import { judgeSignInReservation, settleSuccessfulSignIn, signInReservations, type ThrottleScope } from "./sign-in-throttle";
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

type AccountRow = { id: string; name: string | null; password_hash: string | null; disabled_at: string | null };

/**
 * LOGIN_REQUIRED → check email and password and start a pending sign-in. Known and unknown emails
 * take the same time and get the same answer. The attempt is reserved against the failure budgets
 * (sign-in-throttle.ts) before the password is checked, so the argon2 work runs only under them.
 *
 * One statement before the argon2 verify and none after it on success (README "The password step's
 * hot path"): the admission reserves the attempt, reads the account and its domain's SSO claim, and,
 * when the attempt is within every budget, already inserts the pending sign-in under a fresh random
 * token. That row is unreachable until its cookie is sent, which happens only after the password
 * verified; any other outcome deletes it. The budgets are settled after the answer. On a repeated
 * attempt the verify starts alongside the admission, against the hash read last time, and counts
 * only if the admission admits the attempt and reads the same hash (early-verify.ts).
 */
export async function signInWithPassword(input: CredentialsInput, context: RequestContext): Promise<void> {
  const email = normalizeEmail(input.email);
  const db = getDb();
  const device = await rememberedDevice(email);
  const plan = signInReservations(email, device, context.ip);
  const flow = { userId: null, email, method: "password", returnTo: input.returnTo, authenticated: true, context };
  const token = randomToken(32);
  // The verify against the hash this node read for the address last time, while the admission runs (early-verify.ts).
  const early = startEarlyVerify(email, input.password);
  const limits = JSON.stringify(plan.reservations.map((r) => ({ key: r.key, max: r.limit.max })));
  const [admitted] = await preparedRows<{
    reserved: { key: string; hits: number; retry_after: number }[];
    account: AccountRow | null;
    claim: ClaimFacts | null;
    flow_id: string | null;
  }>(
    db,
    "gh_sign_in_admit",
    sql`with reserved as (${reserveAllSql(plan.reservations)}),
        account as (select id, name, password_hash, disabled_at from users where email = ${email}),
        claim as (${claimFactsSql(emailDomain(email))}),
        within as (
          select not exists (
            select 1 from reserved r join jsonb_to_recordset(${limits}::jsonb) as l(key text, max int) on l.key = r.key where r.hits > l.max
          ) as ok
        ),
        -- Known address or not, the same row (no user for an unknown one): the same work either way.
        flow as (${flowInsertSql(flow, token, { userId: sql`(select id from account)`, when: sql`(select ok from within)` })})
      select (select coalesce(json_agg(json_build_object('key', key, 'hits', hits, 'retry_after', retry_after)), '[]'::json) from reserved) as reserved,
        (select row_to_json(a) from account a) as account,
        (select row_to_json(c) from claim c limit 1) as claim,
        (select id from flow) as flow_id
      -- Committed without waiting for the WAL flush (as the token endpoint's admission): the budget
      -- rows are held for the statement only, not for a disk flush too. A crash can lose the last few
      -- counts and pending sign-ins (their browsers start again), nothing more.
      from (select set_config('synchronous_commit', 'off', true)) async`,
  );
  const row = admitted!;
  const user = row.account ? { id: row.account.id, name: row.account.name, passwordHash: row.account.password_hash, disabledAt: row.account.disabled_at } : undefined;
  // Enterprise SSO: an org may require its IdP. Refused before anything is judged; the reservation given back.
  const route = decideRoute(email, "password", row.claim);
  if (route.decision === "SSO_REQUIRED") {
    forgetHint(email);
    await Promise.all([refundAll(plan.reservations.map((r) => r.key), db), db.execute(discardFlowSql(token))]);
    throw ssoRequired(route);
  }
  const reservation = await judgeSignInReservation(plan, reservationResults(plan.reservations, row.reserved), db);
  if (reservation.refused) {
    forgetHint(email);
    if (reservation.refused.firstOfLock) await recordThrottle(user, email, reservation.refused.scope, context);
    throw reservation.refused.error;
  }
  const valid = await verifyAdmitted(email, user?.passwordHash ?? null, input.password, early);

  if (!user || !valid || user.disabledAt) {
    const hardStop = signInLimits().hardStop.max;
    await db.transaction(async (tx) => {
      // Known or unknown address, the same statements: the (possibly absent) pending sign-in goes.
      await tx.execute(discardFlowSql(token));
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
  // The pending sign-in exists: hand this browser its cookie. The sign-in itself is audited when it
  // completes (login.succeeded) or fails (login.failed). A correct password gives the failure budgets
  // their hit back and clears the consecutive count: after the answer (a lost settlement is stricter, never looser).
  await setFlowCookie(flow, token);
  runInBackground("sign-in settlement", () => settleSuccessfulSignIn(reservation.keys, device, db));
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

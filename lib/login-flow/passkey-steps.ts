import "server-only";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { loginFlows, passkeys, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { refundMfaAttempt } from "@/lib/mfa/budget";
import { markUsed, recordRefusal, storePasskey } from "@/lib/passkeys/record";
import {
  assertionOptions,
  assertionSchema,
  attestationSchema,
  checkAssertion,
  consumeChallenge,
  PasskeyRefused,
  passkeyByCredentialId,
  passkeyNameSchema,
  registrationOptions,
  type StoredPasskey,
} from "@/lib/passkeys/webauthn";
import { requestCookies } from "@/lib/http/cookie-jar";
import { cookieName, hostCookieOptions } from "@/lib/http/cookies";
import { getEnv } from "@/lib/env";
import { enforce } from "@/lib/rate-limit";
import { createFlow, currentFlow, FLOW_COOKIE, flowByToken, type FlowRow, requireFlowState, snapshot, WrongStateError } from "./flow";
import { LIMITS } from "./limits";
import { reserveCodeCheck } from "./mfa-steps";

export const passkeyOptionsSchema = z.object({ returnTo: z.string().max(2000).optional() }).strict();
export const passkeyAssertionSchema = z.object({ response: assertionSchema }).strict();
export const passkeyEnrollSchema = z.object({ name: passkeyNameSchema, response: attestationSchema }).strict();

export type PasskeyOptions =
  | { ceremony: "sign_in" | "second_factor"; options: PublicKeyCredentialRequestOptionsJSON }
  | { ceremony: "enroll"; options: PublicKeyCredentialCreationOptionsJSON };

/**
 * Options for the passkey ceremony of the current step: at LOGIN_REQUIRED a discoverable sign-in
 * (a pending sign-in without a user is opened to bind the challenge to), at TWO_FACTOR_REQUIRED an
 * assertion by one of the user's passkeys, at TWO_FACTOR_ENROLLMENT_REQUIRED a registration.
 */
export async function passkeyOptions(input: z.infer<typeof passkeyOptionsSchema>, context: RequestContext): Promise<PasskeyOptions> {
  const snap = await snapshot(await currentFlow());
  const db = getDb();
  switch (snap.state) {
    case "LOGIN_REQUIRED": {
      // Reuse this browser's passkey sign-in if it has one (conditional UI, then the button).
      let flow: { id: string } | null = await passkeySignInFlow();
      if (!flow) {
        await enforce(`passkey:options:ip:${context.ip ?? "unknown"}`, PASSKEY_SIGN_INS_PER_IP);
        const returnTo = safeNextPath(input.returnTo);
        flow = await createFlow(db, { userId: null, email: null, method: "passkey", returnTo, authenticated: false, context, cookie: PASSKEY_FLOW_COOKIE });
      }
      return { ceremony: "sign_in", options: await assertionOptions("sign_in", { loginFlowId: flow.id }, []) };
    }
    case "TWO_FACTOR_REQUIRED": {
      const mine = await db
        .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
        .from(passkeys)
        .where(and(eq(passkeys.userId, snap.user!.id), isNull(passkeys.flaggedAt)));
      if (mine.length === 0) throw new WrongStateError(snap.state);
      return { ceremony: "second_factor", options: await assertionOptions("second_factor", { loginFlowId: snap.flow!.id }, mine) };
    }
    case "TWO_FACTOR_ENROLLMENT_REQUIRED":
      return { ceremony: "enroll", options: await registrationOptions(snap.user!, "enroll", { loginFlowId: snap.flow!.id }) };
    default:
      throw new WrongStateError(snap.state);
  }
}

/**
 * A passkey sign-in started at LOGIN_REQUIRED is a pending sign-in of its own, carried by its own
 * cookie until the passkey answers: arming conditional UI never replaces the password sign-in this
 * browser may be starting at the same moment. On success it becomes this browser's sign-in.
 */
export const PASSKEY_FLOW_COOKIE = "gh_passkey_flow";
/** New passkey sign-ins (each a pending sign-in row and a challenge) per client IP in 10 minutes. */
const PASSKEY_SIGN_INS_PER_IP = { max: 100, windowSeconds: 600 };

/** The pending passkey sign-in of this browser (no user yet), or null. */
export async function passkeySignInFlow(): Promise<FlowRow | null> {
  const token = (await requestCookies()).get(cookieName(PASSKEY_FLOW_COOKIE))?.value;
  const flow = token ? await flowByToken(token) : null;
  return flow && flow.method === "passkey" && !flow.userId ? flow : null;
}

async function promotePasskeyFlow() {
  const jar = await requestCookies();
  const token = jar.get(cookieName(PASSKEY_FLOW_COOKIE))?.value;
  if (!token) return;
  jar.set(cookieName(FLOW_COOKIE), token, { ...hostCookieOptions(), maxAge: getEnv().LOGIN_FLOW_TTL_SECONDS });
  jar.delete({ name: cookieName(PASSKEY_FLOW_COOKIE), ...hostCookieOptions() });
}

type FlowUser = { id: string; email: string; name: string | null; disabledAt: Date | null };

/**
 * LOGIN_REQUIRED → signed in by a passkey (no password), or TWO_FACTOR_REQUIRED → second factor
 * shown. Either way the check is reserved first (on the pending sign-in and on the account's MFA
 * budget), the challenge is consumed once, and user verification is required; a passkey with UV
 * satisfies the second factor and an org's require-MFA.
 */
export async function verifyPasskey(input: z.infer<typeof passkeyAssertionSchema>, context: RequestContext): Promise<void> {
  const snap = await snapshot(await currentFlow());
  if (snap.state !== "LOGIN_REQUIRED" && snap.state !== "TWO_FACTOR_REQUIRED") throw new WrongStateError(snap.state);
  const secondFactor = snap.state === "TWO_FACTOR_REQUIRED";
  const flow = secondFactor ? snap.flow! : await passkeySignInFlow();
  if (!flow) throw new WrongStateError(snap.state);
  const ceremony = secondFactor ? "second_factor" : "sign_in";
  const passkey = await passkeyByCredentialId(input.response.id);
  const owner = passkey ? await userById(passkey.userId) : null;
  // At TWO_FACTOR_REQUIRED the account is the flow's, whoever's passkey this is.
  const account = secondFactor ? { ...snap.user!, disabledAt: null } : owner;
  const attempts = await reserveCodeCheck(flow, account, context);
  try {
    const challenge = await consumeChallenge(input.response.response.clientDataJSON, ceremony, { loginFlowId: flow.id });
    if (!passkey || !owner) throw new PasskeyRefused("unknown_credential");
    if (secondFactor && passkey.userId !== snap.user!.id) throw new PasskeyRefused("not_your_credential");
    if (owner.disabledAt) throw new PasskeyRefused("unknown_credential");
    if (passkey.flaggedAt) throw new PasskeyRefused("flagged_credential");
    const used = await checkAssertion(input.response, passkey, challenge);
    await getDb().transaction(async (tx) => {
      await markUsed(tx, passkey, used);
      const now = new Date();
      const [moved] = await tx
        .update(loginFlows)
        .set(
          secondFactor
            ? { passkeyVerifiedAt: now }
            : { userId: owner.id, email: owner.email, method: "passkey", passwordVerifiedAt: now, passkeyVerifiedAt: now },
        )
        .where(and(eq(loginFlows.id, flow.id), isNull(loginFlows.completedAt), secondFactor ? undefined : isNull(loginFlows.userId)))
        .returning({ id: loginFlows.id });
      if (!moved) throw new PasskeyRefused("unknown_challenge");
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: owner.id, name: owner.name ?? owner.email },
        action: "passkey.used",
        target: { type: "passkey", id: passkey.id, name: passkey.name },
        context,
        metadata: { as: ceremony, userVerified: true, backedUp: used.backedUp },
      });
    });
    await refundMfaAttempt(account?.id ?? owner.id);
    if (!secondFactor) await promotePasskeyFlow();
  } catch (err) {
    if (!(err instanceof PasskeyRefused)) throw err;
    await refused(err, flow, account, passkey, attempts, ceremony, context);
  }
}

/** TWO_FACTOR_ENROLLMENT_REQUIRED → a passkey registered (with UV), which also counts as shown in this sign-in. */
export async function enrollPasskey(input: z.infer<typeof passkeyEnrollSchema>, context: RequestContext): Promise<{ id: string; name: string }> {
  const { flow, user } = await requireFlowState("TWO_FACTOR_ENROLLMENT_REQUIRED");
  const who = { id: user!.id, email: user!.email, name: user!.name };
  try {
    const challenge = await consumeChallenge(input.response.response.clientDataJSON, "enroll", { loginFlowId: flow.id });
    return await getDb().transaction(async (tx) => {
      const stored = await storePasskey(tx, who, input.name, input.response, challenge, context, "sign_in");
      await tx.update(loginFlows).set({ passkeyVerifiedAt: new Date() }).where(eq(loginFlows.id, flow.id));
      return stored;
    });
  } catch (err) {
    if (!(err instanceof PasskeyRefused)) throw err;
    await recordRefusal(err, { user: who, passkey: null, ceremony: "enroll" }, context);
    throw err;
  }
}

async function refused(
  err: PasskeyRefused,
  flow: FlowRow,
  account: FlowUser | null,
  passkey: StoredPasskey | null,
  attempts: number,
  ceremony: string,
  context: RequestContext,
): Promise<never> {
  const over = attempts >= LIMITS.mfaAttemptsPerFlow;
  if (over) await getDb().update(loginFlows).set({ expiresAt: new Date() }).where(eq(loginFlows.id, flow.id));
  await recordRefusal(err, { user: account, passkey, ceremony, signInEnded: over }, context);
  throw err;
}

async function userById(id: string): Promise<FlowUser | null> {
  const [row] = await getDb()
    .select({ id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, id));
  return row ?? null;
}

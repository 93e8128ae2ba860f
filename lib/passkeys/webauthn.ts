import "server-only";
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { passkeys, webauthnChallenges, type WebAuthnPurpose } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Challenges live 5 minutes and are consumed once. */
export const CHALLENGE_TTL_SECONDS = 300;

/** The relying party: id and origin from APP_URL (a passkey made for one host never signs in to another). */
export function relyingParty() {
  const url = new URL(getEnv().APP_URL);
  return { id: url.hostname, origin: url.origin, name: "Gatehouse" };
}

const b64url = z.string().max(16_384).regex(/^[A-Za-z0-9_-]*={0,2}$/, "Not base64url");
/** A browser's answer to navigator.credentials.get(), as @simplewebauthn/browser sends it. */
export const assertionSchema = z.object({
  id: b64url.min(1),
  rawId: b64url.min(1),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url.min(1),
    authenticatorData: b64url.min(1),
    signature: b64url.min(1),
    userHandle: b64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
/** A browser's answer to navigator.credentials.create(). */
export const attestationSchema = z.object({
  id: b64url.min(1),
  rawId: b64url.min(1),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url.min(1),
    attestationObject: b64url.min(1),
    authenticatorData: b64url.optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export const passkeyNameSchema = z.string().trim().min(1, "Name your passkey").max(60, "Use at most 60 characters");

export type RefusalReason =
  | "unknown_challenge"
  | "unknown_credential"
  | "not_your_credential"
  | "flagged_credential"
  | "wrong_origin"
  | "wrong_rp_id"
  | "user_not_verified"
  | "counter_regression"
  | "invalid_assertion";

/** A refused ceremony: the reason is audited; the user sees one plain message. */
export class PasskeyRefused extends AppError {
  constructor(readonly reason: RefusalReason) {
    super(400, "passkey_refused", "That passkey could not be used. Try again, or choose another way to sign in.");
  }
}

type Binding = { loginFlowId: string } | { userId: string };
const bindingWhere = (b: Binding) =>
  "loginFlowId" in b ? eq(webauthnChallenges.loginFlowId, b.loginFlowId) : eq(webauthnChallenges.userId, b.userId);

/** Store a fresh challenge for one ceremony; expired ones of anyone are swept on the way. */
async function storeChallenge(db: Executor, challenge: string, purpose: WebAuthnPurpose, binding: Binding) {
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date()));
  await db.insert(webauthnChallenges).values({
    challenge,
    purpose,
    ...binding,
    expiresAt: sql`now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS})`,
  });
}

/** The challenge the browser signed, read from clientDataJSON (verified again by the library). */
function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof data.challenge === "string" && data.challenge.length <= 512 ? data.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Consume the challenge a response answers: one DELETE … RETURNING that also requires the purpose,
 * the binding (this pending sign-in, or this user) and the expiry. Of concurrent uses one wins; a
 * replay, an expired challenge or one issued to another sign-in finds nothing.
 */
export async function consumeChallenge(clientDataJSON: string, purpose: WebAuthnPurpose, binding: Binding, db: Executor = getDb()): Promise<string> {
  const challenge = signedChallenge(clientDataJSON);
  if (!challenge) throw new PasskeyRefused("unknown_challenge");
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge),
        eq(webauthnChallenges.purpose, purpose),
        bindingWhere(binding),
        gt(webauthnChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge });
  if (!row) throw new PasskeyRefused("unknown_challenge");
  return row.challenge;
}

/** Options for navigator.credentials.get(): UV required; `allow` empty means any discoverable passkey. */
export async function assertionOptions(
  purpose: WebAuthnPurpose,
  binding: Binding,
  allow: { credentialId: string; transports: string[] }[],
  db: Executor = getDb(),
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().id,
    userVerification: "required",
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: c.transports as never })),
  });
  await storeChallenge(db, options.challenge, purpose, binding);
  return options;
}

/** Options for navigator.credentials.create(): a discoverable credential with UV, none of the user's existing ones again. */
export async function registrationOptions(
  user: { id: string; email: string; name: string | null },
  purpose: WebAuthnPurpose,
  binding: Binding,
  db: Executor = getDb(),
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await db.select({ id: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, user.id));
  const rp = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    userID: new TextEncoder().encode(user.id),
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await storeChallenge(db, options.challenge, purpose, binding);
  return options;
}

export type StoredPasskey = typeof passkeys.$inferSelect;

/** Map the library's error to a refusal reason (only the reason leaves: the message may quote input). */
function reasonOf(err: unknown): RefusalReason {
  const message = err instanceof Error ? err.message : "";
  if (/origin/i.test(message)) return "wrong_origin";
  if (/RP ID/i.test(message)) return "wrong_rp_id";
  if (/user verification|could not be verified/i.test(message)) return "user_not_verified";
  return "invalid_assertion";
}

/**
 * Verify an assertion against a stored passkey with a consumed challenge. The signature is checked
 * first; only a valid signature with a counter that did not move forward is a counter anomaly (a
 * forged response cannot get someone's passkey blocked).
 */
export async function checkAssertion(
  response: AuthenticationResponseJSON,
  passkey: StoredPasskey,
  expectedChallenge: string,
): Promise<{ newCounter: number; backedUp: boolean }> {
  const rp = relyingParty();
  let info;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      // The counter is compared below, after the signature is known to be good.
      credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, "base64url"), counter: 0, transports: passkey.transports as never },
    });
    if (!result.verified || !result.authenticationInfo.userVerified) throw new PasskeyRefused("invalid_assertion");
    info = result.authenticationInfo;
  } catch (err) {
    if (err instanceof PasskeyRefused) throw err;
    throw new PasskeyRefused(reasonOf(err));
  }
  if ((info.newCounter > 0 || passkey.counter > 0) && info.newCounter <= passkey.counter) throw new PasskeyRefused("counter_regression");
  return { newCounter: info.newCounter, backedUp: info.credentialBackedUp };
}

/** Verify a registration with a consumed challenge: UV required; returns the row to store. */
export async function checkRegistration(response: RegistrationResponseJSON, expectedChallenge: string) {
  const rp = relyingParty();
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!result.verified) throw new PasskeyRefused("invalid_assertion");
    const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: (credential.transports ?? response.response.transports ?? []).slice(0, 10) as string[],
      backupEligible: credentialDeviceType === "multiDevice",
      backedUp: credentialBackedUp,
    };
  } catch (err) {
    if (err instanceof PasskeyRefused) throw err;
    throw new PasskeyRefused(reasonOf(err));
  }
}

export async function passkeyByCredentialId(credentialId: string, db: Executor = getDb()): Promise<StoredPasskey | null> {
  const [row] = await db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId));
  return row ?? null;
}

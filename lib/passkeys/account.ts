import "server-only";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { passkeys, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { sendSecurityNotice } from "@/lib/login-flow/security-mails";
import { refundMfaAttempt, reserveMfaAttempt } from "@/lib/mfa/budget";
import { consumeTotp } from "@/lib/mfa/totp";
import { markUsed, recordRefusal, storePasskey } from "./record";
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
} from "./webauthn";

type Actor = { id: string; email: string; name: string | null };

export interface PasskeyDto {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  flagged: boolean;
}

export const registerPasskeySchema = z.object({ name: passkeyNameSchema, response: attestationSchema }).strict();
/** Removing a passkey needs a fresh check: an authenticator code, or a passkey (any of the user's). */
export const removePasskeySchema = z.union([
  z.object({ code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code") }).strict(),
  z.object({ response: assertionSchema }).strict(),
]);

export async function listPasskeys(userId: string): Promise<PasskeyDto[]> {
  const rows = await getDb()
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt, backedUp: passkeys.backedUp, flaggedAt: passkeys.flaggedAt })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    backedUp: r.backedUp,
    flagged: r.flaggedAt !== null,
  }));
}

/** Options to register a passkey from the account page (challenge bound to this user). */
export function accountRegistrationOptions(user: Actor): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return registrationOptions(user, "register", { userId: user.id });
}

export async function registerPasskey(user: Actor, input: z.infer<typeof registerPasskeySchema>, context: RequestContext) {
  try {
    const challenge = await consumeChallenge(input.response.response.clientDataJSON, "register", { userId: user.id });
    return await getDb().transaction((tx) => storePasskey(tx, user, input.name, input.response, challenge, context, "account"));
  } catch (err) {
    if (err instanceof PasskeyRefused) await recordRefusal(err, { user, passkey: null, ceremony: "register" }, context);
    throw err;
  }
}

/** Options for the fresh passkey check that removal asks for. */
export async function reauthOptions(user: Actor): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const mine = await getDb()
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(and(eq(passkeys.userId, user.id), isNull(passkeys.flaggedAt)));
  if (mine.length === 0) throw new AppError(409, "no_passkey", "You have no passkey to confirm with. Use your authenticator app.");
  return assertionOptions("reauth", { userId: user.id }, mine);
}

const invalidCode = () => new AppError(400, "invalid_code", "That code is not valid. Check your authenticator and try again.");

/**
 * Remove one of the user's passkeys after a fresh check (a TOTP code, or a passkey), reserved
 * against the account's MFA budget first. The check, the removal and `passkey.removed` are one
 * transaction (a consumed TOTP step or a moved counter are not kept if the removal fails).
 */
export async function removePasskey(user: Actor, passkeyId: string, proof: z.infer<typeof removePasskeySchema>, context: RequestContext): Promise<void> {
  const db = getDb();
  const [target] = await db.select({ id: passkeys.id, name: passkeys.name }).from(passkeys).where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, user.id)));
  if (!target) throw notFound("No such passkey.");
  await reserveMfaAttempt(user, context);
  let by: "totp" | "passkey" = "totp";
  let prover = null;
  try {
    let used: { newCounter: number; backedUp: boolean } | null = null;
    let challenge = "";
    if ("response" in proof) {
      by = "passkey";
      challenge = await consumeChallenge(proof.response.response.clientDataJSON, "reauth", { userId: user.id });
      prover = await passkeyByCredentialId(proof.response.id);
      if (!prover || prover.userId !== user.id) throw new PasskeyRefused(prover ? "not_your_credential" : "unknown_credential");
      if (prover.flaggedAt) throw new PasskeyRefused("flagged_credential");
      used = await checkAssertion(proof.response, prover, challenge);
    }
    await db.transaction(async (tx) => {
      if ("code" in proof) {
        if (!(await consumeTotp(tx, user.id, proof.code))) throw invalidCode();
      } else await markUsed(tx, prover!, used!);
      const [gone] = await tx.delete(passkeys).where(and(eq(passkeys.id, target.id), eq(passkeys.userId, user.id))).returning({ id: passkeys.id });
      if (!gone) throw notFound("No such passkey.");
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: user.id, name: user.name ?? user.email },
        action: "passkey.removed",
        target: { type: "passkey", id: target.id, name: target.name },
        context,
        metadata: { confirmedWith: by },
      });
      await sendSecurityNotice(tx, user.email, "passkey_removed", `"${target.name}"`);
    });
  } catch (err) {
    if (err instanceof PasskeyRefused) await recordRefusal(err, { user, passkey: prover, ceremony: "reauth" }, context);
    throw err;
  }
  await refundMfaAttempt(user.id);
}

/** After sign-in a passkey is offered once, to a user without one. */
export async function passkeyOfferPending(userId: string): Promise<boolean> {
  const db = getDb();
  const [[has], [user]] = await Promise.all([
    db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1),
    db.select({ offeredAt: users.passkeyOfferedAt }).from(users).where(eq(users.id, userId)),
  ]);
  return !has && Boolean(user) && user!.offeredAt === null;
}

/** The browser showed the offer (it supports passkeys): it is not shown again. One event, the first time. */
export async function markPasskeyOffered(user: Actor, context: RequestContext): Promise<{ first: boolean }> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passkeyOfferedAt: new Date() })
      .where(and(eq(users.id, user.id), isNull(users.passkeyOfferedAt)))
      .returning({ id: users.id });
    if (!row) return { first: false };
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "passkey.offered",
      target: { type: "user", id: user.id, name: user.email },
      context,
    });
    return { first: true };
  });
}

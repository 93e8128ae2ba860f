import "server-only";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { and, eq, isNull } from "drizzle-orm";
import { passkeys } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb, type Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { sendSecurityNotice } from "@/lib/login-flow/security-mails";
import { checkRegistration, PasskeyRefused, type StoredPasskey } from "./webauthn";

type Who = { id: string; email: string; name: string | null };

/**
 * A refused ceremony: one `passkey.refused` event with the reason. A counter that went backwards
 * under a valid signature also blocks the passkey (`passkey.counter_anomaly`, a mail to the owner).
 */
export async function recordRefusal(
  refusal: PasskeyRefused,
  who: { user: Who | null; passkey: StoredPasskey | null; ceremony: string; signInEnded?: boolean },
  context: RequestContext,
): Promise<void> {
  const { user, passkey } = who;
  await getDb().transaction(async (tx) => {
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user?.id ?? null, name: user?.email },
      action: "passkey.refused",
      outcome: "failure",
      target: { type: "user", id: user?.id ?? null, name: user?.email },
      context,
      metadata: { reason: refusal.reason, ceremony: who.ceremony, passkeyId: passkey?.id ?? null, signInEnded: Boolean(who.signInEnded) },
    });
    if (refusal.reason !== "counter_regression" || !passkey || !user) return;
    const [flagged] = await tx
      .update(passkeys)
      .set({ flaggedAt: new Date() })
      .where(and(eq(passkeys.id, passkey.id), isNull(passkeys.flaggedAt)))
      .returning({ id: passkeys.id });
    if (!flagged) return;
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.email },
      action: "passkey.counter_anomaly",
      outcome: "denied",
      target: { type: "passkey", id: passkey.id, name: passkey.name },
      context,
      metadata: { storedCounter: passkey.counter },
    });
    await sendSecurityNotice(tx, user.email, "passkey_flagged", `the passkey "${passkey.name}"`);
  });
}

/**
 * A passkey answered: its counter moves forward and it is marked used. The update requires the
 * counter it was checked against, so two answers racing with the same counter cannot both count.
 */
export async function markUsed(tx: Tx, passkey: StoredPasskey, used: { newCounter: number; backedUp: boolean }): Promise<void> {
  const [row] = await tx
    .update(passkeys)
    .set({ counter: used.newCounter, backedUp: used.backedUp, lastUsedAt: new Date() })
    .where(and(eq(passkeys.id, passkey.id), eq(passkeys.counter, passkey.counter), isNull(passkeys.flaggedAt)))
    .returning({ id: passkeys.id });
  if (!row) throw new PasskeyRefused("invalid_assertion");
}

/** Store a verified registration with its `passkey.registered` event and a mail, in the caller's transaction. */
export async function storePasskey(
  tx: Tx,
  user: Who,
  name: string,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
  context: RequestContext,
  from: "account" | "sign_in",
): Promise<{ id: string; name: string }> {
  const credential = await checkRegistration(response, expectedChallenge);
  const [row] = await tx
    .insert(passkeys)
    .values({ userId: user.id, name, ...credential })
    .onConflictDoNothing()
    .returning({ id: passkeys.id, name: passkeys.name });
  // The same authenticator registered twice (excludeCredentials normally prevents it).
  if (!row) throw new PasskeyRefused("invalid_assertion");
  await recordAudit(tx, {
    orgId: null,
    actor: { type: "user", id: user.id, name: user.name ?? user.email },
    action: "passkey.registered",
    target: { type: "passkey", id: row.id, name },
    context,
    metadata: { from, backupEligible: credential.backupEligible, backedUp: credential.backedUp, transports: credential.transports },
  });
  await sendSecurityNotice(tx, user.email, "passkey_added", `"${name}"`);
  return row;
}

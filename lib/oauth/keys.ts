import "server-only";
import { randomUUID } from "node:crypto";
import { desc, isNotNull, isNull, sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { oauthSigningKeys } from "@/drizzle/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { type Executor, getDb } from "@/lib/db";
import { type Es256Signer, es256Signer } from "./jws";

export const SIGNING_ALG = "ES256";
/** Retired keys stay published this long, so tokens signed just before a rotation still verify. */
export const RETIRED_KEY_GRACE_SECONDS = 24 * 3600;
const CACHE_MS = 60_000;

export interface SigningKey {
  kid: string;
  alg: string;
  /** The key as a node:crypto signer, imported once (the token endpoint's hot path). */
  signer: Es256Signer;
}

interface KeyCache {
  active?: { key: SigningKey; at: number };
  jwks?: { keys: JWK[]; at: number };
}
const KEY = Symbol.for("gatehouse.oauth.keys");
const cache = (): KeyCache => ((globalThis as { [KEY]?: KeyCache })[KEY] ??= {});

/** Create a new key pair, store it (private JWK encrypted) and make it the active one. */
export async function createSigningKey(db: Executor = getDb()): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
  const privateJwk = await exportJWK(privateKey);
  await db.insert(oauthSigningKeys).values({
    kid,
    alg: SIGNING_ALG,
    publicJwk,
    privateJwkEncrypted: encryptSecret(JSON.stringify(privateJwk)),
    activatedAt: new Date(),
  });
  forgetKeyCache();
  return kid;
}

/**
 * Rotate: a new key signs from now on; the previous ones are retired but stay in the JWKS for
 * the grace period, then drop out.
 */
export async function rotateSigningKeys(db: Executor = getDb()): Promise<string> {
  const kid = await db.transaction(async (tx) => {
    await tx
      .update(oauthSigningKeys)
      .set({ retiredAt: new Date() })
      .where(isNull(oauthSigningKeys.retiredAt));
    return createSigningKey(tx);
  });
  forgetKeyCache();
  return kid;
}

/**
 * Rotate when the active key is older than `maxAgeDays` (run from the periodic job). The active
 * key row is locked, so two nodes running this at once rotate only once.
 */
export async function rotateSigningKeysIfDue(
  maxAgeDays: number,
  db: Executor = getDb(),
): Promise<string | null> {
  const kid = await db.transaction(async (tx) => {
    const [active] = await tx
      .select({ kid: oauthSigningKeys.kid, activatedAt: oauthSigningKeys.activatedAt })
      .from(oauthSigningKeys)
      .where(isNull(oauthSigningKeys.retiredAt))
      .orderBy(desc(oauthSigningKeys.activatedAt))
      .limit(1)
      .for("update");
    if (active?.activatedAt && Date.now() - active.activatedAt.getTime() < maxAgeDays * 86_400_000)
      return null;
    if (!active) return null; // created on first use instead
    await tx
      .update(oauthSigningKeys)
      .set({ retiredAt: new Date() })
      .where(isNull(oauthSigningKeys.retiredAt));
    return createSigningKey(tx);
  });
  if (kid) forgetKeyCache();
  return kid;
}

/** The newest active key, created on first use. Cached briefly in memory. */
export async function getActiveSigningKey(db: Executor = getDb()): Promise<SigningKey> {
  const c = cache();
  if (c.active && Date.now() - c.active.at < CACHE_MS) return c.active.key;
  let [row] = await db
    .select()
    .from(oauthSigningKeys)
    .where(sql`${oauthSigningKeys.retiredAt} is null and ${oauthSigningKeys.activatedAt} is not null`)
    .orderBy(desc(oauthSigningKeys.activatedAt))
    .limit(1);
  if (!row) {
    await createSigningKey(db);
    [row] = await db
      .select()
      .from(oauthSigningKeys)
      .where(isNull(oauthSigningKeys.retiredAt))
      .orderBy(desc(oauthSigningKeys.activatedAt))
      .limit(1);
  }
  if (!row) throw new Error("no signing key");
  const jwk = JSON.parse(decryptSecret(row.privateJwkEncrypted)) as JWK;
  const key = { kid: row.kid, alg: row.alg, signer: es256Signer(row.kid, jwk) };
  c.active = { key, at: Date.now() };
  return key;
}

/** The public keys to publish: active ones and those retired within the grace period. */
export async function getPublicJwks(
  db: Executor = getDb(),
  opts: { fresh?: boolean } = {},
): Promise<{ keys: JWK[] }> {
  const c = cache();
  if (!opts.fresh && c.jwks && Date.now() - c.jwks.at < CACHE_MS) return { keys: c.jwks.keys };
  const rows = await db
    .select({ jwk: oauthSigningKeys.publicJwk })
    .from(oauthSigningKeys)
    .where(
      sql`${isNotNull(oauthSigningKeys.activatedAt)} and (${oauthSigningKeys.retiredAt} is null or ${oauthSigningKeys.retiredAt} > now() - make_interval(secs => ${RETIRED_KEY_GRACE_SECONDS}))`,
    )
    .orderBy(desc(oauthSigningKeys.createdAt));
  const keys = rows.map((r) => r.jwk as JWK);
  c.jwks = { keys, at: Date.now() };
  return { keys };
}

/** Drop the in-memory key cache (after rotation, and in tests). */
export function forgetKeyCache() {
  const c = cache();
  c.active = undefined;
  c.jwks = undefined;
}

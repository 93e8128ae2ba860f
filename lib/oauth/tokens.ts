import "server-only";
import { randomUUID } from "node:crypto";
import { createLocalJWKSet, errors, jwtVerify } from "jose";
import { type Executor, getDb } from "@/lib/db";
import { issuer } from "./issuer";
import { getActiveSigningKey, getPublicJwks, SIGNING_ALG } from "./keys";

/** RFC 9068 media type of JWT access tokens. */
export const ACCESS_TOKEN_TYP = "at+jwt";

export interface AccessTokenInput {
  userId: string;
  orgId: string;
  clientId: string;
  grantId: string;
  scopes: readonly string[];
  resource: string;
  ttlSeconds: number;
}

export interface AccessTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  org_id: string;
  client_id: string;
  grant_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
}

/** Sign an access token with the active key of the rotating key set. */
export async function issueAccessToken(
  input: AccessTokenInput,
  db: Executor = getDb(),
): Promise<{ token: string; claims: AccessTokenClaims }> {
  const key = await getActiveSigningKey(db);
  const iat = Math.floor(Date.now() / 1000);
  const claims: AccessTokenClaims = {
    iss: issuer(),
    aud: input.resource,
    sub: input.userId,
    org_id: input.orgId,
    client_id: input.clientId,
    grant_id: input.grantId,
    scope: input.scopes.join(" "),
    jti: randomUUID(),
    iat,
    exp: iat + input.ttlSeconds,
  };
  return { token: key.signer.sign({ ...claims }, ACCESS_TOKEN_TYP), claims };
}

// jose imports each JWK once per local key set: keep the set while the published keys are the same.
let verifier: { keys: unknown; fn: ReturnType<typeof createLocalJWKSet> } | undefined;
async function verifierFor(db: Executor, fresh: boolean) {
  const jwks = await getPublicJwks(db, { fresh });
  if (!verifier || verifier.keys !== jwks.keys) {
    verifier = { keys: jwks.keys, fn: createLocalJWKSet(jwks) };
    verified.clear(); // a key may have left the set: verify every token again
  }
  return verifier.fn;
}

/**
 * Tokens whose signature and claims were verified, by token and audience: an agent presents the
 * same token on every call for its lifetime, and the ECDSA check is the costliest step of a call.
 * Expiry is checked again on every use; the cache is emptied whenever the published keys change.
 * Bounded; the oldest entries go first. Grant status is never cached (see checkGrantActive).
 */
const VERIFIED_MAX = 10_000;
const verified = new Map<string, AccessTokenClaims>();

function cachedClaims(token: string, audience: string): AccessTokenClaims | null {
  const claims = verified.get(`${audience} ${token}`);
  if (!claims) return null;
  if (claims.exp <= Math.floor(Date.now() / 1000)) {
    verified.delete(`${audience} ${token}`);
    throw new InvalidTokenError("token expired");
  }
  return claims;
}

function remember(token: string, audience: string, claims: AccessTokenClaims) {
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
  verified.set(`${audience} ${token}`, claims);
}

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidTokenError";
  }
}

/**
 * Verify signature, issuer, audience, expiry and type of an access token. Grant status is not
 * checked here: see `checkGrantActive`.
 */
export async function verifyAccessToken(
  token: string,
  audience: string,
  db: Executor = getDb(),
): Promise<AccessTokenClaims> {
  const attempt = async (fresh: boolean) => {
    const jwks = await verifierFor(db, fresh);
    return jwtVerify(token, jwks, {
      issuer: issuer(),
      audience,
      algorithms: [SIGNING_ALG],
      typ: ACCESS_TOKEN_TYP,
      requiredClaims: ["sub", "exp", "iat", "jti", "aud"],
    });
  };
  try {
    // Keys still current (refreshed at most once a minute) before trusting a cached verdict.
    await verifierFor(db, false);
    const cached = cachedClaims(token, audience);
    if (cached) return cached;
    let result;
    try {
      result = await attempt(false);
    } catch (err) {
      // A key created by another node since we cached the set: reload once.
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      result = await attempt(true);
    }
    const p = result.payload as Partial<AccessTokenClaims>;
    if (
      typeof p.org_id !== "string" ||
      typeof p.client_id !== "string" ||
      typeof p.grant_id !== "string" ||
      typeof p.scope !== "string"
    ) {
      throw new InvalidTokenError("token is missing claims");
    }
    remember(token, audience, p as AccessTokenClaims);
    return p as AccessTokenClaims;
  } catch (err) {
    if (err instanceof InvalidTokenError) throw err;
    if (err instanceof errors.JWTExpired) throw new InvalidTokenError("token expired");
    if (err instanceof errors.JWTClaimValidationFailed)
      throw new InvalidTokenError(`token ${err.claim} is not valid here`);
    if (err instanceof errors.JOSEError) throw new InvalidTokenError("token is not valid");
    throw err;
  }
}

import "server-only";
import * as client from "openid-client";
import { decryptSecret } from "@/lib/crypto";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { allowPrivateIdp, guardedFetch, isFetchableIdpUrl } from "./guarded-fetch";

/** What an OIDC connection needs to talk to its IdP. */
export interface OidcSettings {
  id: string;
  issuer: string;
  clientId: string;
  clientSecretEnc: string;
  updatedAt: Date;
}

/** The redirect URI the admin registers at the IdP. */
export function oidcRedirectUri(): string {
  return new URL("/api/sso/oidc/callback", getEnv().APP_URL ?? "http://localhost:3000").toString();
}

const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const configs = new Map<string, { at: number; config: Promise<client.Configuration> }>();

/** Discover the IdP (cached per connection version for a few minutes) through the SSRF-guarded fetch. */
export async function discover(issuer: string, clientId: string, clientSecret: string): Promise<client.Configuration> {
  if (!isFetchableIdpUrl(issuer)) throw new AppError(400, "invalid_issuer", "The issuer must be an https:// URL.");
  try {
    const config = await client.discovery(new URL(issuer), clientId, clientSecret, client.ClientSecretPost(clientSecret), {
      [client.customFetch]: guardedFetch as client.CustomFetch,
      ...(allowPrivateIdp() && issuer.startsWith("http:") ? { execute: [client.allowInsecureRequests] } : {}),
      timeout: 5,
    });
    config[client.customFetch] = guardedFetch as client.CustomFetch;
    return config;
  } catch {
    throw new AppError(422, "discovery_failed", "Could not read the issuer's OpenID configuration (/.well-known/openid-configuration). Check the issuer URL.");
  }
}

export function oidcConfig(c: OidcSettings): Promise<client.Configuration> {
  const key = `${c.id}:${c.updatedAt.getTime()}`;
  const hit = configs.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const config = discover(c.issuer, c.clientId, decryptSecret(c.clientSecretEnc));
  configs.set(key, { at: Date.now(), config });
  config.catch(() => configs.delete(key));
  return config;
}

export interface OidcRequestSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The authorization URL: code flow, PKCE S256, state and nonce. */
export async function authorizationUrl(c: OidcSettings, scopes: string, secrets: OidcRequestSecrets): Promise<URL> {
  const config = await oidcConfig(c);
  return client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(),
    scope: scopes,
    response_type: "code",
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: "S256",
  });
}

/** Claims Gatehouse reads from a validated ID token (and userinfo). */
export type IdpClaims = Record<string, unknown> & { sub: string; iss: string };

/**
 * Redeem the code: openid-client checks `state`, `iss` (RFC 9207 when the IdP sends it), the PKCE
 * verifier, and the ID token (signature, issuer, audience, expiry, nonce). Returns the ID token's
 * claims merged under the userinfo response when the ID token lacks an email.
 */
export async function redeemCode(c: OidcSettings, callbackUrl: URL, secrets: OidcRequestSecrets): Promise<IdpClaims> {
  const config = await oidcConfig(c);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: secrets.codeVerifier,
    expectedState: secrets.state,
    expectedNonce: secrets.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("no ID token");
  let merged: Record<string, unknown> = { ...claims };
  if (typeof claims.email !== "string" && tokens.access_token) {
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    merged = { ...info, ...claims };
  }
  return merged as IdpClaims;
}

export const newRequestSecrets = (): OidcRequestSecrets => ({
  state: client.randomState(),
  nonce: client.randomNonce(),
  codeVerifier: client.randomPKCECodeVerifier(),
});

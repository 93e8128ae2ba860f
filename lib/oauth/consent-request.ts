import "server-only";
import { createHash } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { getEnv } from "@/lib/env";
import type { AuthorizeRequest } from "./authorize";

const TTL_SECONDS = 600;
const key = () => createHash("sha256").update(`gatehouse.oauth.consent:${getEnv().AUTH_SECRET}`).digest();

/**
 * Seal a validated authorization request for the consent screen, bound to the user's session:
 * the consent form cannot be replayed by another session nor have its parameters altered.
 */
export function sealConsentRequest(request: AuthorizeRequest, sessionIdHash: string): Promise<string> {
  return new SignJWT({ req: request, sid: sessionIdHash })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .setAudience("oauth-consent")
    .sign(key());
}

/** Open a sealed request; null when forged, expired or from another session. */
export async function openConsentRequest(
  sealed: string,
  sessionIdHash: string,
): Promise<AuthorizeRequest | null> {
  try {
    const { payload } = await jwtVerify(sealed, key(), { algorithms: ["HS256"], audience: "oauth-consent" });
    if (payload.sid !== sessionIdHash) return null;
    return payload.req as AuthorizeRequest;
  } catch {
    return null;
  }
}

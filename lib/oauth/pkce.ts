import { createHash } from "node:crypto";

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/; // RFC 7636 §4.1
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/; // base64url SHA-256, no padding

/** Whether a code_challenge looks like an S256 challenge (43 base64url characters). */
export function isS256Challenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** The S256 challenge of a verifier. */
export function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** Whether a code_verifier has RFC 7636's form (43–128 unreserved characters). */
export function isWellFormedVerifier(verifier: string | null | undefined): verifier is string {
  return !!verifier && VERIFIER.test(verifier);
}

/** RFC 7636 S256 check; a malformed verifier never matches. */
export function verifyPkce(verifier: string | null | undefined, challenge: string): boolean {
  if (!verifier || !VERIFIER.test(verifier)) return false;
  const expected = s256(verifier);
  return (
    expected.length === challenge.length &&
    createHash("sha256").update(expected).digest().equals(createHash("sha256").update(challenge).digest())
  );
}

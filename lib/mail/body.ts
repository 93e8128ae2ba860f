import "server-only";
import { decryptSecret, encryptSecret } from "@/lib/crypto";

// What encryptSecret writes: v1.<iv>.<tag>.<ciphertext>, all base64url. A mail body never looks like it.
const SEALED = /^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]*$/;

/** Days a body is kept when it is never delivered: the longest a mailed link lives (invitations). */
export const MAIL_BODY_MAX_AGE_DAYS = 7;

/** Encrypt a mail body at rest (its one-time links are secrets) with ENCRYPTION_KEY. */
export function sealMailBody(plain: string): string {
  return plain === "" ? "" : encryptSecret(plain);
}

/** The readable body: decrypted, or as stored for rows written before bodies were sealed; "" once scrubbed. */
export function openMailBody(stored: string): string {
  return SEALED.test(stored) ? decryptSecret(stored) : stored;
}

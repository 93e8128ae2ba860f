import "server-only";
import type { Limit } from "@/lib/rate-limit";

/** Throttles of the sign-in kit. Windows are short so an attacker cannot lock a victim out for long. */
export const LIMITS = {
  /** Failed password attempts from one IP (an office behind one NAT still signs in fine). */
  failuresPerIp: { max: 50, windowSeconds: 900 },
  /** Failed password attempts against one account (known or not: the answer must not differ). */
  failuresPerAccount: { max: 10, windowSeconds: 900 },
  signUpPerIp: { max: 10, windowSeconds: 600 },
  /** Confirmation, reset and magic-link mails to one address. */
  mailsPerAddress: { max: 3, windowSeconds: 600 },
  mailsPerIp: { max: 20, windowSeconds: 600 },
  /** Wrong MFA codes end the pending sign-in. */
  mfaAttemptsPerFlow: 5,
} satisfies Record<string, Limit | number>;

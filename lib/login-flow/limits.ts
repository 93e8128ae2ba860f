import "server-only";
import { getEnv } from "@/lib/env";
import type { Limit } from "@/lib/rate-limit";

/** Failure budgets of the password step run in 15-minute windows (the account's grows, see signInBudgets). */
export const FAILURE_WINDOW_SECONDS = 900;
/** The account window doubles each time its budget was used up, up to a day. */
export const MAX_BACKOFF_WINDOW_SECONDS = 86_400;
/** Consecutive failures are remembered this long without a success (the hard stop's memory). */
export const CONSECUTIVE_WINDOW_SECONDS = 30 * 86_400;

/** Throttles of the sign-in kit, from the environment (README "Sign-in kit"). */
export function signInLimits() {
  const env = getEnv();
  const window = (max: number): Limit => ({ max, windowSeconds: FAILURE_WINDOW_SECONDS });
  return {
    /** Failed passwords for one account from one client (IP) that has not signed in to it before. */
    perClient: window(env.SIGN_IN_FAILURES_PER_CLIENT),
    /** Failed passwords for one account from a browser that signed in to it before (device cookie). */
    perDevice: window(env.SIGN_IN_FAILURES_PER_DEVICE),
    /** Failed passwords for one account from all clients without a device cookie. */
    perAccount: window(env.SIGN_IN_FAILURES_PER_ACCOUNT),
    /** Failed passwords from one IP across accounts (an office behind one NAT still signs in fine). */
    perIp: window(env.SIGN_IN_FAILURES_PER_IP),
    /** Consecutive failures after which only a reset or a magic link signs in (NIST 800-63B). */
    hardStop: { max: env.SIGN_IN_HARD_STOP, windowSeconds: CONSECUTIVE_WINDOW_SECONDS },
    /** Wrong MFA codes per account, across pending sign-ins and account pages. */
    mfaPerAccount: window(env.MFA_FAILURES_PER_ACCOUNT),
  };
}

/** Sign-ups per IP, and confirmation, reset and magic-link mails per address and per IP (10-minute windows). */
export function mailLimits() {
  const env = getEnv();
  const window = (max: number): Limit => ({ max, windowSeconds: 600 });
  return { signUpPerIp: window(env.SIGN_UPS_PER_IP), mailsPerAddress: window(env.MAILS_PER_ADDRESS), mailsPerIp: window(env.MAILS_PER_IP) };
}

export const LIMITS = {
  /** Wrong MFA codes end the pending sign-in. */
  mfaAttemptsPerFlow: 5,
} as const;

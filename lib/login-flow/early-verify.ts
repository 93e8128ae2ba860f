import "server-only";
import { availableParallelism } from "node:os";
import { verifyPassword } from "@/lib/auth/password";

/**
 * The password step's argon2id verify, started alongside its admission (sign-in.ts). The admission
 * (one statement: the budgets, the account's hash) must come first: it decides whether the verify
 * may run, and it reads the hash. But on a repeated sign-in the hash is usually the one this node read
 * for the same address last time, so the verify can start against that hash while the admission
 * runs, and the statement's round trip is hidden behind the verify instead of added to it.
 *
 * The early result is used only when the admission admits the attempt and reads the same hash; any
 * other outcome drops it (a changed hash is verified again). What bounds it:
 * - a hint is kept only for an address whose last attempt this node admitted, and a refusal forgets
 *   it: an attacker over the budgets gets no argon2 work, as without early verifies;
 * - one early verify at a time per address, and no more at once than the machine has cores;
 * - unknown addresses get a hint too (null: the same dummy verify as the step), so a known and an
 *   unknown address take the same time, on a first attempt and on a repeated one.
 */
const hints = new Map<string, string | null>();
const MAX_HINTS = 10_000;
const inFlight = new Set<string>();
const MAX_IN_FLIGHT = availableParallelism();

export type EarlyVerify = { hash: string | null; valid: Promise<boolean> };

/** Start verifying `password` against the hash last read for `email`, or null (no hint, or at the bounds). */
export function startEarlyVerify(email: string, password: string): EarlyVerify | null {
  if (!hints.has(email) || inFlight.has(email) || inFlight.size >= MAX_IN_FLIGHT) return null;
  const hash = hints.get(email)!;
  inFlight.add(email);
  // verifyPassword answers false on any failure: nothing here rejects.
  return { hash, valid: verifyPassword(hash, password).finally(() => inFlight.delete(email)) };
}

/**
 * The verify of an admitted attempt against `stored` (the hash its admission read): the early one
 * when it ran against the same hash, else one now. The hash is kept as the hint for the next attempt.
 */
export function verifyAdmitted(email: string, stored: string | null, password: string, early: EarlyVerify | null): Promise<boolean> {
  hints.delete(email);
  if (hints.size >= MAX_HINTS) hints.delete(hints.keys().next().value!);
  hints.set(email, stored);
  return early && early.hash === stored ? early.valid : verifyPassword(stored, password);
}

/** An attempt not admitted (over a budget, or sent to its SSO): no early verify for the address's next one. */
export function forgetHint(email: string): void {
  hints.delete(email);
}

import "server-only";
import { dictionary } from "@zxcvbn-ts/language-common";
import { getEnv } from "@/lib/env";

export const MAX_PASSWORD_LENGTH = 1024;

let blocklist: Set<string> | undefined;

/** Whether the password is one of ~49,000 common passwords (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  blocklist ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return blocklist.has(password.toLowerCase());
}

/**
 * NIST 800-63B style: a minimum length (PASSWORD_MIN_LENGTH, default 12), long passwords accepted
 * in full (no truncation), no composition rules, and no common passwords. Returns the problem, or null.
 */
export function passwordProblem(password: string, context: { email?: string | null } = {}): string | null {
  const min = getEnv().PASSWORD_MIN_LENGTH;
  const length = [...password].length;
  if (length < min) return `Use at least ${min} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (isCommonPassword(password)) return "This password is too common. Choose another.";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase() === local) return "Do not use your email address as password.";
  return null;
}

/** The rules above, as the sign-in pages show them live (carried in GET /api/login/state). */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** Common passwords are refused (checked on the server when the form is sent). */
  blocksCommon: boolean;
  /** The email address's local part is refused as a password. */
  blocksEmail: boolean;
}

export function passwordPolicy(): PasswordPolicy {
  return { minLength: getEnv().PASSWORD_MIN_LENGTH, maxLength: MAX_PASSWORD_LENGTH, blocksCommon: true, blocksEmail: true };
}

import "server-only";
import type { Tx } from "@/lib/db";
import { getBrand } from "@/lib/brand";
import { getEnv } from "@/lib/env";
import { enqueueMail } from "@/lib/mail/outbox";

/** What happened to the account; each kind is one mail template `security.<kind>`. */
const NOTICES = {
  new_device: ["New sign-in to your {product} account", "Your account was just signed in to from a browser it had not seen before"],
  password_changed: ["Your {product} password was changed", "The password of your account was changed"],
  mfa_added: ["Two-factor authentication turned on", "Two-factor authentication was turned on for your account"],
  mfa_removed: ["Two-factor authentication turned off", "Two-factor authentication was turned off for your account"],
  backup_codes_regenerated: ["New backup codes", "New backup codes were generated for your account; the old ones no longer work"],
  backup_code_used: ["A backup code was used", "One of your backup codes was used to sign in"],
  account_locked: ["Sign-in to your {product} account is locked", "Too many wrong passwords were tried for your account, so signing in with a password is paused"],
  passkey_added: ["A passkey was added", "A passkey was added to your account"],
  passkey_removed: ["A passkey was removed", "A passkey was removed from your account"],
  passkey_flagged: ["A passkey was blocked", "A passkey of your account answered like a copy of itself (its counter went backwards), so it was blocked; remove it and add it again if it is yours"],
  mfa_locked: ["Two-factor codes for your account are locked", "Too many wrong two-factor codes were tried for your account, so code entry is paused"],
} as const;
export type SecurityNotice = keyof typeof NOTICES;

/** Tell the owner about a security-relevant change, through the outbox, in the caller's transaction. */
export function sendSecurityNotice(tx: Tx, to: string, kind: SecurityNotice, detail?: string) {
  const [template, what] = NOTICES[kind];
  const subject = template.replace("{product}", getBrand().productName);
  const base = getEnv().APP_URL;
  return enqueueMail(tx, {
    to,
    template: `security.${kind}`,
    subject,
    text: `${what}${detail ? ` (${detail})` : ""}.\n\nIf this was you, there is nothing to do. If it was not, reset your password now: ${base}/login/forgot\nand review your sessions and two-factor settings: ${base}/account`,
  });
}

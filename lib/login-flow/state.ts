/**
 * The login state machine: a pure function from what the server knows about a pending sign-in to
 * the one step the user must take next. Every step endpoint checks it before acting, so no UI can
 * skip a step by calling a later endpoint early.
 */

export const LOGIN_STATES = [
  "LOGIN_REQUIRED",
  "EMAIL_NOT_CONFIRMED_YET",
  "UPDATE_PASSWORD_REQUIRED",
  "USER_MISSING_REQUIRED_PROPERTIES",
  "TWO_FACTOR_ENROLLMENT_REQUIRED",
  "TWO_FACTOR_REQUIRED",
  "USER_MUST_BE_IN_AT_LEAST_ONE_ORG",
  "LOGGED_IN",
  // Enterprise SSO (lib/sso): home-realm discovery sent the sign-in to the org's identity provider.
  "SSO_REDIRECT",
] as const;
export type LoginState = (typeof LOGIN_STATES)[number];

export interface LoginFacts {
  /** A live (unexpired, unfinished) pending sign-in exists. */
  hasFlow: boolean;
  /** The user proved who they are (password, or a magic link). */
  authenticated: boolean;
  emailConfirmed: boolean;
  /** An admin required a new password, or the current one is on the blocklist. */
  passwordChangeRequired: boolean;
  /** Required profile properties that are still empty. */
  missingProperties: number;
  /** MFA is required by the platform (for everyone, or for staff) or by an org of the user. */
  mfaRequired: boolean;
  mfaEnrolled: boolean;
  /** MFA was verified (or enrolled) in this sign-in. */
  mfaVerified: boolean;
  // Passkeys (WebAuthn, user verification required). `mfaEnrolled`/`mfaVerified` are the TOTP app.
  /** The user has at least one passkey. */
  passkeyEnrolled: boolean;
  /** A passkey was used (or enrolled) in this sign-in: it satisfies the second factor and require-MFA. */
  passkeyVerified: boolean;
  /** An org of the user requires a phishing-resistant factor: only a passkey satisfies it. */
  passkeyRequired: boolean;
  orgCount: number;
  /** Platform staff (admin, support) work across orgs and need none of their own. */
  platformStaff: boolean;
  /** Enterprise SSO: home-realm discovery routed this sign-in to an org's IdP, which has not answered yet. */
  ssoRedirect?: boolean;
}

/**
 * The next state. Order matters: a second factor the user already has is asked for right after
 * the email check — before they may change their password or profile — so a stolen password alone
 * changes nothing.
 */
export function nextLoginState(f: LoginFacts): LoginState {
  if (f.hasFlow && !f.authenticated && f.ssoRedirect) return "SSO_REDIRECT";
  if (!f.hasFlow || !f.authenticated) return "LOGIN_REQUIRED";
  if (!f.emailConfirmed) return "EMAIL_NOT_CONFIRMED_YET";
  if (needsSecondFactor(f)) return "TWO_FACTOR_REQUIRED";
  if (f.passwordChangeRequired) return "UPDATE_PASSWORD_REQUIRED";
  if (f.missingProperties > 0) return "USER_MISSING_REQUIRED_PROPERTIES";
  if (needsEnrollment(f)) return "TWO_FACTOR_ENROLLMENT_REQUIRED";
  if (f.orgCount < 1 && !f.platformStaff) return "USER_MUST_BE_IN_AT_LEAST_ONE_ORG";
  return "LOGGED_IN";
}

// Passkeys. A second factor the user has must be shown (any one of them); where a passkey is
// required and the user has one, only the passkey will do. Enrolment: a passkey where required,
// otherwise a passkey or the app where MFA is required.
const needsSecondFactor = (f: LoginFacts) =>
  ((f.mfaEnrolled || f.passkeyEnrolled) && !f.mfaVerified && !f.passkeyVerified) ||
  (f.passkeyRequired && f.passkeyEnrolled && !f.passkeyVerified);
const needsEnrollment = (f: LoginFacts) =>
  (f.passkeyRequired && !f.passkeyEnrolled) || (f.mfaRequired && !f.mfaEnrolled && !f.passkeyEnrolled);

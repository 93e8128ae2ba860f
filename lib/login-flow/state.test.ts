import { describe, expect, it } from "vitest";
import { type LoginFacts, type LoginState, nextLoginState } from "./state";

const KEYS = ["hasFlow", "authenticated", "emailConfirmed", "passwordChangeRequired", "missing", "mfaRequired", "mfaEnrolled", "mfaVerified", "inOrg", "staff", "passkeyEnrolled", "passkeyVerified", "passkeyRequired"] as const;

/** The expected state, written independently of the implementation as a priority list. */
function expected(b: Record<(typeof KEYS)[number], boolean>): LoginState {
  const rules: [boolean, LoginState][] = [
    [!b.hasFlow || !b.authenticated, "LOGIN_REQUIRED"],
    [!b.emailConfirmed, "EMAIL_NOT_CONFIRMED_YET"],
    // Any second factor the user has, unless one was shown in this sign-in (a passkey counts).
    [(b.mfaEnrolled || b.passkeyEnrolled) && !b.mfaVerified && !b.passkeyVerified, "TWO_FACTOR_REQUIRED"],
    // A passkey is required and the user has one: the app code alone is not enough.
    [b.passkeyRequired && b.passkeyEnrolled && !b.passkeyVerified, "TWO_FACTOR_REQUIRED"],
    [b.passwordChangeRequired, "UPDATE_PASSWORD_REQUIRED"],
    [b.missing, "USER_MISSING_REQUIRED_PROPERTIES"],
    [b.passkeyRequired && !b.passkeyEnrolled, "TWO_FACTOR_ENROLLMENT_REQUIRED"],
    [b.mfaRequired && !b.mfaEnrolled && !b.passkeyEnrolled, "TWO_FACTOR_ENROLLMENT_REQUIRED"],
    [!b.inOrg && !b.staff, "USER_MUST_BE_IN_AT_LEAST_ONE_ORG"],
  ];
  return rules.find(([when]) => when)?.[1] ?? "LOGGED_IN";
}

describe("nextLoginState", () => {
  it("decides every one of the 8192 combinations of facts", () => {
    const seen = new Set<LoginState>();
    for (let mask = 0; mask < 1 << KEYS.length; mask++) {
      const b = Object.fromEntries(KEYS.map((k, i) => [k, Boolean(mask & (1 << i))])) as Record<(typeof KEYS)[number], boolean>;
      const facts: LoginFacts = {
        hasFlow: b.hasFlow,
        authenticated: b.authenticated,
        emailConfirmed: b.emailConfirmed,
        passwordChangeRequired: b.passwordChangeRequired,
        missingProperties: b.missing ? 2 : 0,
        mfaRequired: b.mfaRequired,
        mfaEnrolled: b.mfaEnrolled,
        mfaVerified: b.mfaVerified,
        orgCount: b.inOrg ? 1 : 0,
        platformStaff: b.staff,
        passkeyEnrolled: b.passkeyEnrolled,
        passkeyVerified: b.passkeyVerified,
        passkeyRequired: b.passkeyRequired,
      };
      const state = nextLoginState(facts);
      expect(state, JSON.stringify(b)).toBe(expected(b));
      seen.add(state);
    }
    expect(seen.size).toBe(8);
  });

  it.each<[string, Partial<LoginFacts>, LoginState]>([
    ["nobody", { hasFlow: false }, "LOGIN_REQUIRED"],
    ["a returning user with nothing pending", {}, "LOGGED_IN"],
    ["a fresh sign-up", { emailConfirmed: false, orgCount: 0 }, "EMAIL_NOT_CONFIRMED_YET"],
    ["MFA enrolled but not verified", { mfaEnrolled: true, mfaVerified: false, passwordChangeRequired: true }, "TWO_FACTOR_REQUIRED"],
    ["an org requires MFA", { mfaRequired: true }, "TWO_FACTOR_ENROLLMENT_REQUIRED"],
    ["MFA optional and not enrolled", { mfaRequired: false }, "LOGGED_IN"],
    ["no org yet", { orgCount: 0 }, "USER_MUST_BE_IN_AT_LEAST_ONE_ORG"],
    ["platform staff without an org", { orgCount: 0, platformStaff: true }, "LOGGED_IN"],
    ["a passkey sign-in skips the second factor", { mfaEnrolled: true, passkeyEnrolled: true, passkeyVerified: true }, "LOGGED_IN"],
    ["a UV passkey satisfies an org's require-MFA", { mfaRequired: true, passkeyEnrolled: true, passkeyVerified: true }, "LOGGED_IN"],
    ["password, passkey enrolled: asks for it", { passkeyEnrolled: true }, "TWO_FACTOR_REQUIRED"],
    ["password + TOTP, passkey required and enrolled: asks for the passkey", { mfaEnrolled: true, mfaVerified: true, passkeyEnrolled: true, passkeyRequired: true }, "TWO_FACTOR_REQUIRED"],
    ["password + TOTP, passkey required, none yet: enrol one", { mfaRequired: true, mfaEnrolled: true, mfaVerified: true, passkeyRequired: true }, "TWO_FACTOR_ENROLLMENT_REQUIRED"],
    ["require-MFA, a passkey but no app: no app enrolment", { mfaRequired: true, passkeyEnrolled: true, passkeyVerified: true }, "LOGGED_IN"],
  ])("%s", (_, overrides, state) => {
    const base: LoginFacts = {
      hasFlow: true,
      authenticated: true,
      emailConfirmed: true,
      passwordChangeRequired: false,
      missingProperties: 0,
      mfaRequired: false,
      mfaEnrolled: false,
      mfaVerified: false,
      orgCount: 1,
      platformStaff: false,
      passkeyEnrolled: false,
      passkeyVerified: false,
      passkeyRequired: false,
    };
    expect(nextLoginState({ ...base, ...overrides })).toBe(state);
  });
});

import { describe, expect, it } from "vitest";
import { type LoginFacts, type LoginState, nextLoginState } from "@/lib/login-flow/state";
import { idpAssertsMfa, mappedRole, roleAfterSignIn } from "./claims";
import { emailDomain, type HomeRealmDecision, type HomeRealmFacts, homeRealm } from "./home-realm";

const FLAGS = ["domainVerified", "connectionEnabled", "requireSso", "breakGlass"] as const;

/** Written independently of the implementation, as the README's table. */
function expectedRealm(via: HomeRealmFacts["via"], b: Record<(typeof FLAGS)[number], boolean>): HomeRealmDecision {
  const idpReady = b.domainVerified && b.connectionEnabled;
  if (via === "sso") return idpReady ? "IDP" : "NO_IDP";
  return idpReady && b.requireSso && !b.breakGlass ? "SSO_REQUIRED" : "LOCAL";
}

describe("homeRealm", () => {
  it("decides every one of the 48 combinations of facts", () => {
    const seen = new Set<HomeRealmDecision>();
    for (const via of ["sso", "password", "magic_link"] as const) {
      for (let mask = 0; mask < 1 << FLAGS.length; mask++) {
        const b = Object.fromEntries(FLAGS.map((k, i) => [k, Boolean(mask & (1 << i))])) as Record<(typeof FLAGS)[number], boolean>;
        const decision = homeRealm({ via, ...b });
        expect(decision, `${via} ${JSON.stringify(b)}`).toBe(expectedRealm(via, b));
        seen.add(decision);
      }
    }
    expect(seen).toEqual(new Set(["IDP", "NO_IDP", "SSO_REQUIRED", "LOCAL"]));
  });

  it.each<[string, HomeRealmFacts, HomeRealmDecision]>([
    ["an unclaimed domain asks for SSO", { via: "sso", domainVerified: false, connectionEnabled: false, requireSso: false, breakGlass: false }, "NO_IDP"],
    ["a claim waiting for approval does not route", { via: "sso", domainVerified: false, connectionEnabled: true, requireSso: true, breakGlass: false }, "NO_IDP"],
    ["a verified domain with a disabled connection", { via: "sso", domainVerified: true, connectionEnabled: false, requireSso: true, breakGlass: false }, "NO_IDP"],
    ["require SSO with no connection on does not lock everyone out", { via: "password", domainVerified: true, connectionEnabled: false, requireSso: true, breakGlass: false }, "LOCAL"],
    ["require SSO refuses a magic link", { via: "magic_link", domainVerified: true, connectionEnabled: true, requireSso: true, breakGlass: false }, "SSO_REQUIRED"],
    ["the break-glass Owner keeps the password", { via: "password", domainVerified: true, connectionEnabled: true, requireSso: true, breakGlass: true }, "LOCAL"],
  ])("%s", (_, facts, decision) => expect(homeRealm(facts)).toBe(decision));

  it("reads the domain of an address", () => {
    expect(emailDomain("a@xcorp.example")).toBe("xcorp.example");
    expect(emailDomain("a@b@xcorp.example")).toBe("xcorp.example");
    expect(emailDomain("@xcorp.example")).toBeNull();
    expect(emailDomain("a@")).toBeNull();
  });
});

describe("nextLoginState: the SSO_REDIRECT branch", () => {
  const KEYS = ["hasFlow", "authenticated", "ssoRedirect", "emailConfirmed", "mfaRequired", "mfaEnrolled", "mfaVerified", "inOrg"] as const;
  it("is taken exactly when a live flow is routed to an IdP that has not answered (256 combinations)", () => {
    for (let mask = 0; mask < 1 << KEYS.length; mask++) {
      const b = Object.fromEntries(KEYS.map((k, i) => [k, Boolean(mask & (1 << i))])) as Record<(typeof KEYS)[number], boolean>;
      const facts: LoginFacts = {
        hasFlow: b.hasFlow,
        authenticated: b.authenticated,
        ssoRedirect: b.ssoRedirect,
        emailConfirmed: b.emailConfirmed,
        passwordChangeRequired: false,
        missingProperties: 0,
        mfaRequired: b.mfaRequired,
        mfaEnrolled: b.mfaEnrolled,
        mfaVerified: b.mfaVerified,
        passkeyEnrolled: false,
        passkeyVerified: false,
        passkeyRequired: false,
        orgCount: b.inOrg ? 1 : 0,
        platformStaff: false,
      };
      const state: LoginState = nextLoginState(facts);
      const routed = b.hasFlow && !b.authenticated && b.ssoRedirect;
      expect(state === "SSO_REDIRECT", JSON.stringify(b)).toBe(routed);
      // Once the IdP answered (authenticated), the flag changes nothing: the usual steps follow.
      if (b.authenticated || !b.hasFlow) expect(state).toBe(nextLoginState({ ...facts, ssoRedirect: false }));
    }
  });
});

describe("IdP claims", () => {
  it.each<[unknown, unknown, boolean]>([
    [["mfa"], undefined, true],
    [["pwd", "otp"], undefined, true],
    [["pwd", "hwk"], undefined, true],
    [["pwd"], undefined, false],
    [["otp"], undefined, false],
    [["pwd", "pwd"], undefined, false],
    [undefined, "http://schemas.openid.net/pape/policies/2007/06/multi-factor", true],
    [undefined, "urn:okta:loa:2fa:any", false],
    [undefined, "phr", true],
    ["mfa", undefined, false],
    [undefined, undefined, false],
  ])("amr %j acr %j → MFA %s", (amr, acr, mfa) => expect(idpAssertsMfa({ amr, acr })).toBe(mfa));

  const rules = [
    { group: "eng", roleId: "member", rank: 100 },
    { group: "eng-admins", roleId: "admin", rank: 200 },
  ];
  it("maps groups to the highest-ranked matching role", () => {
    expect(mappedRole(["eng", "eng-admins"], rules)?.roleId).toBe("admin");
    expect(mappedRole(["eng"], rules)?.roleId).toBe("member");
    expect(mappedRole(["sales"], rules)).toBeNull();
    expect(mappedRole([], rules)).toBeNull();
  });

  it.each<[string, Parameters<typeof roleAfterSignIn>[0], string]>([
    ["a new member without a matching rule gets the default", { current: null, mapped: null, defaultRoleId: "member", topRank: 300 }, "member"],
    ["a new member follows the rule", { current: null, mapped: { roleId: "admin", rank: 200 }, defaultRoleId: "member", topRank: 300 }, "admin"],
    ["no rule matches: the role stays", { current: { roleId: "admin", rank: 200 }, mapped: null, defaultRoleId: "member", topRank: 300 }, "admin"],
    ["a rule demotes an admin", { current: { roleId: "admin", rank: 200 }, mapped: { roleId: "member", rank: 100 }, defaultRoleId: "member", topRank: 300 }, "member"],
    ["an Owner is never demoted by the IdP", { current: { roleId: "owner", rank: 300 }, mapped: { roleId: "member", rank: 100 }, defaultRoleId: "member", topRank: 300 }, "owner"],
  ])("%s", (_, input, role) => expect(roleAfterSignIn(input)).toBe(role));
});

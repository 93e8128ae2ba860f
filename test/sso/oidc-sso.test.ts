import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loginFlows, orgs, ssoConnections, ssoRequests, users } from "@/drizzle/schema";
import { decryptSecret } from "@/lib/crypto";
import { completeFlow } from "@/lib/login-flow/complete";
import { currentFlow, snapshot } from "@/lib/login-flow/flow";
import { signInWithPassword } from "@/lib/login-flow/sign-in";
import { DEMO_PASSWORD } from "@/lib/seed/demo-logins";
import { changeConnection, createOidcConnection, setConnectionEnabled } from "@/lib/sso/connections";
import { approveDomain, claimDomain } from "@/lib/sso/domains";
import { oidcRedirectUri } from "@/lib/sso/oidc";
import { routeEmail } from "@/lib/sso/routing";
import { updateSsoSettings } from "@/lib/sso/settings";
import { handleOidcCallback, idpRedirectForFlow, idpRedirectForTest, startSsoSignIn } from "@/lib/sso/sign-in";
import { inBrowser, newJar, type Jar } from "@/test/browser-jar";
import { ctx, expectFailure, redirectToIdp, useSsoWorld } from "./fixture";
import { followToRedirectUri, startTestIdp, type TestIdp } from "./oidc-idp";

vi.mock("next/headers", async () => (await import("@/test/browser-jar")).browserHeadersMock());

const { getDb, world, person, roleOf, eventsSince } = useSsoWorld();
const people = world.people;
let idp: TestIdp;
let xcorp: string;
let techcorp: string;
let connectionId: string;

/** One browser signing in through the IdP: type the email, go to the IdP, come back. */
async function ssoSignIn(jar: Jar, email: string, as: TestIdp["next"]) {
  idp.next = as;
  return inBrowser(jar, async () => {
    const back = await followToRedirectUri(await redirectToIdp(email), oidcRedirectUri());
    const result = await handleOidcCallback(back.searchParams, ctx(), null);
    return { ...result, back, snap: await snapshot(await currentFlow()) };
  });
}

beforeAll(async () => {
  ({ xcorp, techcorp } = world);
  idp = await startTestIdp({ redirectUri: oidcRedirectUri() });
});
afterAll(async () => idp?.close());

describe("OIDC enterprise SSO against a real OpenID Provider (oidc-provider)", () => {
  it("refuses an issuer that has no discovery document (422), and stores the client secret sealed", async () => {
    const owner = people["owner@xcorp.example"]!;
    await expectFailure(
      createOidcConnection(xcorp, owner, { name: "Bad", issuer: `${idp.issuer}/nothing-here`, clientId: "x", clientSecret: "y", defaultRoleKey: "member" }, ctx()),
      422,
      "discovery_failed",
    );
    ({ id: connectionId } = await createOidcConnection(
      xcorp,
      owner,
      { name: "XCorp Okta", issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, scopes: "openid email profile groups", defaultRoleKey: "member", groupsClaim: "groups" },
      ctx(),
    ));
    const [row] = await getDb().db.select().from(ssoConnections).where(eq(ssoConnections.id, connectionId));
    expect(row!.clientSecretEnc).not.toContain(idp.clientSecret);
    expect(decryptSecret(row!.clientSecretEnc!)).toBe(idp.clientSecret);
    expect(row!.enabled).toBe(false);
  });

  it("will not enable a connection that was never tested (409)", async () => {
    await expectFailure(setConnectionEnabled(xcorp, people["owner@xcorp.example"]!, connectionId, true, ctx()), 409, "connection_untested");
  });

  it("an admin cannot map IdP users to a role above their own (403)", async () => {
    await expectFailure(changeConnection(xcorp, people["admin@xcorp.example"]!, connectionId, { roleRules: [{ group: "x", roleKey: "owner" }] }, ctx()), 403);
  });

  it("test connection: a sign-in at the IdP shows the claims to the admin who started it, then the connection can be enabled", async () => {
    const owner = people["owner@xcorp.example"]!;
    idp.accounts.set("tester", { email: "it.admin@xcorp.example", email_verified: true, name: "IT Admin", groups: ["it"] });
    idp.next = { accountId: "tester" };
    const since = new Date();
    const back = await followToRedirectUri(await idpRedirectForTest(xcorp, owner.id, connectionId), oidcRedirectUri());
    const { redirect } = await inBrowser(newJar(), () => handleOidcCallback(back.searchParams, ctx(), owner.id));
    expect(redirect).toMatch(/^\/orgs\/xcorp\/sso\/test\/[0-9a-f-]{36}$/);
    const [req] = await getDb().db.select().from(ssoRequests).where(eq(ssoRequests.id, redirect.split("/").pop()!));
    expect(req!.result).toMatchObject({ ok: true, claims: { email: "it.admin@xcorp.example", groups: ["it"], iss: idp.issuer, sub: "tester" } });
    expect((await eventsSince(since, xcorp)).map((e) => e.action)).toEqual(["sso.connection_tested"]);
    // Nobody was provisioned by a test.
    const [u] = await getDb().db.select().from(users).where(eq(users.email, "it.admin@xcorp.example"));
    expect(u).toBeUndefined();
    await setConnectionEnabled(xcorp, owner, connectionId, true, ctx());
  });

  it("a domain is routed only once claimed AND approved; a second org cannot claim it (409)", async () => {
    const owner = people["owner@xcorp.example"]!;
    expect((await routeEmail("new.hire@xcorp.example", "sso")).decision).toBe("NO_IDP");
    await inBrowser(newJar(), () => expectFailure(startSsoSignIn({ email: "new.hire@xcorp.example" }, ctx()), 404, "no_sso"));
    const { id } = await claimDomain(xcorp, owner, "xcorp.example", ctx());
    await expectFailure(claimDomain(techcorp, people["owner@techcorp.example"]!, "xcorp.example", ctx()), 409, "domain_taken");
    await expectFailure(claimDomain(techcorp, people["owner@techcorp.example"]!, "gmail.com", ctx()), 400);
    expect((await routeEmail("new.hire@xcorp.example", "sso")).decision).toBe("NO_IDP");
    await approveDomain(people["admin@gatehouse.example"]!, id, ctx());
    expect((await routeEmail("new.hire@xcorp.example", "sso")).decision).toBe("IDP");
    expect((await routeEmail("someone@techcorp.example", "sso")).decision).toBe("NO_IDP");
  });

  it("a new employee types their email, signs in at the IdP and lands in XCorp with the mapped role (JIT)", async () => {
    const since = new Date();
    await changeConnection(xcorp, people["owner@xcorp.example"]!, connectionId, { roleRules: [{ group: "eng-admins", roleKey: "admin" }, { group: "eng", roleKey: "member" }] }, ctx());
    idp.accounts.set("u-1", { email: "new.hire@xcorp.example", email_verified: true, name: "New Hire", groups: ["eng", "eng-admins"] });
    const jar = newJar();
    const { redirect, snap } = await ssoSignIn(jar, "New.Hire@xcorp.example", { accountId: "u-1" });
    expect(redirect).toBe("/login");
    expect(snap.state).toBe("LOGGED_IN");
    const session = await inBrowser(jar, async () => completeFlow([...jar.values()][0]!, ctx()));
    expect(session?.userId).toBe((await person("new.hire@xcorp.example"))!.id);
    expect(await roleOf("new.hire@xcorp.example", xcorp)).toBe("admin");
    expect(await roleOf("new.hire@xcorp.example", techcorp)).toBeNull();
    const [u] = await getDb().db.select().from(users).where(eq(users.email, "new.hire@xcorp.example"));
    expect(u!.emailVerifiedAt).not.toBeNull();
    expect(u!.passwordHash).toBeNull();
    expect((await eventsSince(since, xcorp)).map((e) => e.action)).toEqual([
      "sso.connection_changed",
      "login.sso_routed",
      "sso.user_provisioned",
      "sso.member_provisioned",
      "login.sso_succeeded",
    ]);
  });

  it("the IdP's answer is redeemed once: a replayed callback is refused (400) and changes nothing", async () => {
    idp.accounts.set("u-2", { email: "second@xcorp.example", email_verified: true, name: "Second", groups: [] });
    const jar = newJar();
    const { back } = await ssoSignIn(jar, "second@xcorp.example", { accountId: "u-2" });
    await inBrowser(jar, () => expectFailure(handleOidcCallback(back.searchParams, ctx(), null), 400, "invalid_state"));
  });

  it("the role follows the IdP's groups at every sign-in, and the change is audited", async () => {
    idp.accounts.set("u-1", { email: "new.hire@xcorp.example", email_verified: true, name: "New Hire", groups: ["eng"] });
    const since = new Date();
    const { snap } = await ssoSignIn(newJar(), "new.hire@xcorp.example", { accountId: "u-1" });
    expect(snap.state).toBe("LOGGED_IN");
    expect(await roleOf("new.hire@xcorp.example", xcorp)).toBe("member");
    const events = await eventsSince(since, xcorp);
    expect(events.map((e) => e.action)).toEqual(["login.sso_routed", "sso.role_mapped", "login.sso_succeeded"]);
    expect(events[1]!.metadata).toMatchObject({ before: "admin", after: "member", group: "eng" });
  });

  it("isolation: XCorp's IdP asserting a TechCorp address signs nobody in, and says why in the audit log", async () => {
    idp.accounts.set("evil", { email: "owner@techcorp.example", email_verified: true, name: "Not the owner", groups: ["eng-admins"] });
    const since = new Date();
    const { redirect, snap } = await ssoSignIn(newJar(), "someone@xcorp.example", { accountId: "evil" });
    expect(redirect).toBe("/login?error=sso_failed");
    expect(snap.state).toBe("LOGIN_REQUIRED"); // the browser's pending sign-in ended: no loop back to the IdP
    const [flow] = await getDb().db.select().from(loginFlows).where(eq(loginFlows.email, "someone@xcorp.example"));
    expect(flow!.userId).toBeNull();
    expect(flow!.passwordVerifiedAt).toBeNull();
    expect(await roleOf("owner@techcorp.example", xcorp)).toBeNull();
    const events = await eventsSince(since, xcorp);
    expect(events.at(-1)).toMatchObject({ action: "login.sso_failed", outcome: "failure", metadata: { reason: "domain_not_claimed" } });
    expect(await eventsSince(since, techcorp)).toEqual([]);
  });

  it("an answer that comes back to another browser is refused (login CSRF)", async () => {
    idp.accounts.set("u-3", { email: "third@xcorp.example", email_verified: true, name: "Third" });
    idp.next = { accountId: "u-3" };
    const victim = newJar();
    const attacker = newJar();
    const url = await inBrowser(attacker, async () => {
      await startSsoSignIn({ email: "third@xcorp.example" }, ctx());
      return idpRedirectForFlow();
    });
    const back = await followToRedirectUri(url, oidcRedirectUri());
    const { redirect } = await inBrowser(victim, () => handleOidcCallback(back.searchParams, ctx(), null));
    expect(redirect).toBe("/login?error=sso_failed");
    expect(await person("third@xcorp.example")).toBeUndefined();
  });

  it("a refusal at the IdP (access_denied) is audited with the IdP's reason", async () => {
    const since = new Date();
    const { redirect } = await ssoSignIn(newJar(), "fourth@xcorp.example", null);
    expect(redirect).toBe("/login?error=sso_failed");
    expect((await eventsSince(since, xcorp)).at(-1)).toMatchObject({ action: "login.sso_failed", metadata: { reason: "access_denied" } });
  });

  it("MFA: the org's requirement is met by the IdP's amr only when the connection says the IdP enforces MFA", async () => {
    await getDb().db.update(orgs).set({ requireMfa: true }).where(eq(orgs.id, xcorp));
    idp.accounts.set("u-5", { email: "fifth@xcorp.example", email_verified: true, name: "Fifth" });
    const withOtp = { accountId: "u-5", amr: ["pwd", "otp"] };
    expect((await ssoSignIn(newJar(), "fifth@xcorp.example", withOtp)).snap.state).toBe("TWO_FACTOR_ENROLLMENT_REQUIRED");
    await changeConnection(xcorp, people["owner@xcorp.example"]!, connectionId, { idpEnforcesMfa: true }, ctx());
    expect((await ssoSignIn(newJar(), "fifth@xcorp.example", withOtp)).snap.state).toBe("LOGGED_IN");
    expect((await ssoSignIn(newJar(), "fifth@xcorp.example", { accountId: "u-5", amr: ["pwd"] })).snap.state).toBe("TWO_FACTOR_ENROLLMENT_REQUIRED");
    await getDb().db.update(orgs).set({ requireMfa: false }).where(eq(orgs.id, xcorp));
  });

  it("require SSO: password sign-in is refused for the org's domain (403), except for the break-glass Owner", async () => {
    const owner = people["owner@xcorp.example"]!;
    await expectFailure(updateSsoSettings(xcorp, owner, { requireSso: true, breakGlassEmail: null }, ctx()), 400);
    await expectFailure(updateSsoSettings(xcorp, owner, { requireSso: true, breakGlassEmail: "member@xcorp.example" }, ctx()), 400);
    await updateSsoSettings(xcorp, owner, { requireSso: true, breakGlassEmail: "owner@xcorp.example" }, ctx());
    await inBrowser(newJar(), () => expectFailure(signInWithPassword({ email: "member@xcorp.example", password: DEMO_PASSWORD }, ctx()), 403, "sso_required"));
    const jar = newJar();
    await inBrowser(jar, () => signInWithPassword({ email: "owner@xcorp.example", password: DEMO_PASSWORD }, ctx()));
    const [flow] = await getDb().db.select().from(loginFlows).where(eq(loginFlows.userId, owner.id));
    expect(flow?.passwordVerifiedAt).not.toBeNull();
    // TechCorp is untouched by XCorp's policy.
    await inBrowser(newJar(), () => signInWithPassword({ email: "member@techcorp.example", password: DEMO_PASSWORD }, ctx()));
  });
});

import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loginFlows, orgs, ssoConnections, ssoSamlAssertions } from "@/drizzle/schema";
import type { RequestContext } from "@/lib/http/request-context";
import { completeFlow } from "@/lib/login-flow/complete";
import { currentFlow, snapshot } from "@/lib/login-flow/flow";
import { changeConnection, createSamlConnection, listConnections, setConnectionEnabled } from "@/lib/sso/connections";
import { approveDomain, claimDomain } from "@/lib/sso/domains";
import { samlSpMetadata } from "@/lib/sso/saml";
import { finishSamlAnswer, handleSamlAcs, SAML_UNMATCHED_PER_IP } from "@/lib/sso/saml-sign-in";
import { idpRedirectForTest, samlSettings, startSsoSignIn } from "@/lib/sso/sign-in";
import { testResult } from "@/lib/sso/test-result";
import { inBrowser, newJar, type Jar } from "@/test/browser-jar";
import { ctx, expectFailure, redirectToIdp, useSsoWorld } from "./fixture";
import { type Overrides, type SamlUser, startTestSamlIdp, type TestSamlIdp, wrap } from "./saml-idp";

vi.mock("next/headers", async () => (await import("@/test/browser-jar")).browserHeadersMock());

const { getDb, world, person, roleOf, eventsSince } = useSsoWorld();
const people = world.people;
let idp: TestSamlIdp;
let attackerIdp: TestSamlIdp;
let xcorp: string;
let techcorp: string;
let connectionId: string;
let spMetadata: string;

/** A browser starts an SSO sign-in and is sent to the IdP: the AuthnRequest id the IdP sees. */
async function startAtIdp(jar: Jar, email: string): Promise<string> {
  return inBrowser(jar, async () => {
    const url = await redirectToIdp(email);
    expect(url.toString().startsWith(idp.ssoUrl)).toBe(true);
    return idp.requestIdOf(url);
  });
}

/** The IdP's answer POSTed to the ACS (no cookies: a cross-site POST), then the same-site finish in the browser. */
async function deliver(jar: Jar, samlResponse: string) {
  const acs = await handleSamlAcs(connectionId, samlResponse, ctx());
  if (!acs.redirect.startsWith("/api/sso/saml/finish?")) return { redirect: acs.redirect, snap: await inBrowser(jar, async () => snapshot(await currentFlow())) };
  const handoff = new URL(acs.redirect, "http://x").searchParams.get("handoff");
  return inBrowser(jar, async () => {
    const result = await finishSamlAnswer(handoff, ctx(), null);
    return { redirect: result.redirect, snap: await snapshot(await currentFlow()) };
  });
}

async function samlSignIn(email: string, user: SamlUser, overrides?: Overrides, jar = newJar()) {
  const requestId = await startAtIdp(jar, email);
  const response = await idp.respond(spMetadata, requestId, user, overrides);
  return { ...(await deliver(jar, response)), jar };
}

beforeAll(async () => {
  ({ xcorp, techcorp } = world);
  [idp, attackerIdp] = await Promise.all([startTestSamlIdp("xcorp-idp"), startTestSamlIdp("attacker")]);
}, 60_000);
afterAll(async () => {
  await idp?.close();
  await attackerIdp?.close();
});

describe("SAML 2.0 enterprise SSO against a real IdP (samlify, signing with its own key)", () => {
  it("refuses unusable metadata (422) and reads the IdP's entity id, SSO URL and certificate from metadata by URL", async () => {
    const owner = people["owner@xcorp.example"]!;
    await expectFailure(createSamlConnection(xcorp, owner, { kind: "saml", name: "Bad", metadataXml: "<not-xml", defaultRoleKey: "member" }, ctx()), 422, "invalid_metadata");
    const noCert = idp.metadata.replace(/<(\w+:)?KeyDescriptor[\s\S]*<\/(\w+:)?KeyDescriptor>/, "");
    await expectFailure(createSamlConnection(xcorp, owner, { kind: "saml", name: "Bad", metadataXml: noCert, defaultRoleKey: "member" }, ctx()), 422, "invalid_metadata");
    await expectFailure(createSamlConnection(xcorp, owner, { kind: "saml", name: "Bad", metadataUrl: idp.metadataUrl.replace("/metadata", "/nothing"), defaultRoleKey: "member" }, ctx()), 422, "metadata_unreachable");
    await expectFailure(createSamlConnection(xcorp, owner, { kind: "saml", name: "Bad", metadataUrl: "http://10.0.0.1/metadata", defaultRoleKey: "member" }, ctx()), 400, "invalid_metadata_url");
    const created = await createSamlConnection(xcorp, owner, { kind: "saml", name: "XCorp Okta (SAML)", metadataUrl: idp.metadataUrl, defaultRoleKey: "member", groupsClaim: "groups" }, ctx());
    connectionId = created.id;
    expect(created.acsUrl).toMatch(new RegExp(`/api/sso/saml/acs/${connectionId}$`));
    const [row] = await getDb().db.select().from(ssoConnections).where(eq(ssoConnections.id, connectionId));
    expect(row).toMatchObject({ kind: "saml", samlIdpEntityId: idp.entityId, samlSsoUrl: idp.ssoUrl, enabled: false });
    expect(row!.samlIdpCerts).toContain("BEGIN CERTIFICATE");
    const [dto] = (await listConnections(xcorp)).filter((c) => c.id === connectionId);
    expect(dto).toMatchObject({ kind: "saml", redirectUri: created.acsUrl, spEntityId: created.spEntityId, idpEntityId: idp.entityId });
    spMetadata = samlSpMetadata(samlSettings(row!));
    expect(spMetadata).toContain(created.acsUrl);
    expect(spMetadata).toContain('WantAssertionsSigned="true"');
    await expectFailure(setConnectionEnabled(xcorp, owner, connectionId, true, ctx()), 409, "connection_untested");
  });

  it("test connection: the IdP's answer shows the attributes to the admin who started it, then the connection can be enabled", async () => {
    const owner = people["owner@xcorp.example"]!;
    const since = new Date();
    const url = await idpRedirectForTest(xcorp, owner.id, connectionId);
    const response = await idp.respond(spMetadata, idp.requestIdOf(url), { email: "it.admin@xcorp.example", name: "IT Admin", groups: ["it"] });
    const acs = await handleSamlAcs(connectionId, response, ctx());
    expect(acs.redirect).toMatch(/^\/api\/sso\/saml\/finish\?handoff=/);
    const handoff = new URL(acs.redirect, "http://x").searchParams.get("handoff");
    // Another signed-in user cannot pick up the admin's test answer.
    const { redirect } = await inBrowser(newJar(), () => finishSamlAnswer(handoff, ctx(), owner.id));
    expect(redirect).toMatch(/^\/orgs\/xcorp\/sso\/test\/[0-9a-f-]{36}$/);
    const result = await testResult(xcorp, owner.id, redirect.split("/").pop()!);
    expect(result).toMatchObject({ state: "ok", claims: { email: "it.admin@xcorp.example", groups: ["it"], iss: idp.entityId, sub: "it.admin@xcorp.example" }, mfa: false });
    expect((await eventsSince(since, xcorp)).map((e) => e.action)).toEqual(["sso.connection_tested"]);
    expect(await person("it.admin@xcorp.example")).toBeUndefined();
    // The handoff is single-use.
    await expectFailure(inBrowser(newJar(), () => finishSamlAnswer(handoff, ctx(), owner.id)), 400, "invalid_state");
    await setConnectionEnabled(xcorp, owner, connectionId, true, ctx());
  });

  it("a new employee types their email, signs in at the IdP and lands in XCorp with the mapped role (JIT)", async () => {
    const owner = people["owner@xcorp.example"]!;
    const { id } = await claimDomain(xcorp, owner, "xcorp.example", ctx());
    await approveDomain(people["admin@gatehouse.example"]!, id, ctx());
    await changeConnection(xcorp, owner, connectionId, { roleRules: [{ group: "eng-admins", roleKey: "admin" }, { group: "eng", roleKey: "member" }] }, ctx());
    const since = new Date();
    const { redirect, snap, jar } = await samlSignIn("New.Hire@xcorp.example", { email: "new.hire@xcorp.example", name: "New Hire", groups: ["eng", "eng-admins"] });
    expect(redirect).toBe("/login");
    expect(snap.state).toBe("LOGGED_IN");
    const session = await inBrowser(jar, async () => completeFlow([...jar.values()][0]!, ctx()));
    expect(session?.userId).toBe((await person("new.hire@xcorp.example"))!.id);
    expect(await roleOf("new.hire@xcorp.example", xcorp)).toBe("admin");
    expect(await roleOf("new.hire@xcorp.example", techcorp)).toBeNull();
    const events = await eventsSince(since, xcorp);
    expect(events.map((e) => e.action)).toEqual(["login.sso_routed", "sso.user_provisioned", "sso.member_provisioned", "login.sso_succeeded"]);
    expect(events.at(-1)!.metadata).toMatchObject({ kind: "saml", iss: idp.entityId, mfaFromIdp: false });
  });

  it("the role follows the groups attribute at every sign-in, and the change is audited", async () => {
    const since = new Date();
    const { snap } = await samlSignIn("new.hire@xcorp.example", { email: "new.hire@xcorp.example", groups: ["eng"] });
    expect(snap.state).toBe("LOGGED_IN");
    expect(await roleOf("new.hire@xcorp.example", xcorp)).toBe("member");
    const events = await eventsSince(since, xcorp);
    expect(events.map((e) => e.action)).toEqual(["login.sso_routed", "sso.role_mapped", "login.sso_succeeded"]);
    expect(events[1]!.metadata).toMatchObject({ before: "admin", after: "member", group: "eng" });
  });

  const user = (email: string): SamlUser => ({ email, name: "Victim", groups: ["eng-admins"] });
  const negative: { name: string; reason: string; response: (requestId: string) => Promise<string> }[] = [
    { name: "unsigned assertion", reason: "invalid_signature", response: (r) => idp.respond(spMetadata, r, user("n1@xcorp.example"), {}, { sign: false }) },
    { name: "response signed, assertion not (assertion signature required)", reason: "invalid_signature", response: (r) => idp.respond(spMetadata, r, user("n2@xcorp.example"), {}, { signMessageOnly: true }) },
    { name: "signed by another key (attacker's IdP, same entity id)", reason: "invalid_signature", response: (r) => attackerIdp.respond(spMetadata, r, user("n3@xcorp.example"), { issuer: idp.entityId }) },
    { name: "wrong audience", reason: "wrong_audience", response: (r) => idp.respond(spMetadata, r, user("n4@xcorp.example"), { audience: "https://other-sp.example/metadata" }) },
    {
      name: "expired (NotOnOrAfter past, beyond the clock skew)",
      reason: "expired",
      response: (r) => idp.respond(spMetadata, r, user("n5@xcorp.example"), { issueInstant: new Date(Date.now() - 8 * 60_000), notOnOrAfter: new Date(Date.now() - 2 * 60_000) }),
    },
    { name: "wrong recipient", reason: "wrong_recipient", response: (r) => idp.respond(spMetadata, r, user("n6@xcorp.example"), { recipient: "https://evil.example/acs" }) },
    { name: "wrong destination", reason: "wrong_destination", response: (r) => idp.respond(spMetadata, r, user("n7@xcorp.example"), { destination: "https://evil.example/acs" }) },
    { name: "wrong issuer", reason: "wrong_issuer", response: (r) => idp.respond(spMetadata, r, user("n8@xcorp.example"), { issuer: "https://other-idp.example" }) },
    { name: "InResponseTo naming another request", reason: "unknown_request", response: (r) => idp.respond(spMetadata, r, user("n9@xcorp.example"), { inResponseTo: `_${randomUUID()}` }) },
    { name: "IdP-initiated (no InResponseTo; off)", reason: "idp_initiated", response: (r) => idp.respond(spMetadata, r, user("n10@xcorp.example"), { inResponseTo: null }) },
    { name: "XSW: signed assertion wrapped in samlp:Extensions, forged one in its place", reason: "invalid_signature", response: async (r) => wrap(await idp.respond(spMetadata, r, user("n11@xcorp.example")), "extensions", "owner@xcorp.example") },
    { name: "XSW: a second, unsigned assertion after the signed one", reason: "invalid_signature", response: async (r) => wrap(await idp.respond(spMetadata, r, user("n12@xcorp.example")), "second_assertion", "owner@xcorp.example") },
    { name: "XSW: forged assertion carrying the signature, signed one moved into ds:Object", reason: "invalid_signature", response: async (r) => wrap(await idp.respond(spMetadata, r, user("n13@xcorp.example")), "object", "owner@xcorp.example") },
  ];

  it.each(negative)("refused and audited: $name", async ({ reason, response }) => {
    const jar = newJar();
    const requestId = await startAtIdp(jar, "someone@xcorp.example");
    const since = new Date();
    const ownerRole = await roleOf("owner@xcorp.example", xcorp);
    const { redirect } = await deliver(jar, await response(requestId));
    expect(redirect).toBe("/login?error=sso_failed");
    const events = await eventsSince(since, xcorp);
    expect(events).toHaveLength(1);
    expect(events[0], JSON.stringify(events[0]!.metadata)).toMatchObject({ action: "login.sso_failed", outcome: "failure", metadata: { kind: "saml", reason } });
    // Nobody was signed in or created, and the victim's membership is untouched.
    const [flow] = await getDb().db.select().from(loginFlows).where(eq(loginFlows.email, "someone@xcorp.example")).orderBy(asc(loginFlows.createdAt));
    expect(flow!.userId).toBeNull();
    for (const n of ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12", "n13"]) expect(await person(`${n}@xcorp.example`)).toBeUndefined();
    expect(await roleOf("owner@xcorp.example", xcorp)).toBe(ownerRole);
  });

  it("a replayed response is refused; so is a replayed assertion id in a new response", async () => {
    const jar = newJar();
    const requestId = await startAtIdp(jar, "replay@xcorp.example");
    const response = await idp.respond(spMetadata, requestId, { email: "replay@xcorp.example", name: "Replay" });
    expect((await deliver(jar, response)).snap.state).toBe("LOGGED_IN");
    const since = new Date();
    expect((await handleSamlAcs(connectionId, response, ctx())).redirect).toBe("/login?error=sso_failed");
    const jar2 = newJar();
    const requestId2 = await startAtIdp(jar2, "replay@xcorp.example");
    const [first] = await getDb().db.select().from(ssoSamlAssertions).where(eq(ssoSamlAssertions.connectionId, connectionId)).orderBy(asc(ssoSamlAssertions.createdAt));
    const again = await idp.respond(spMetadata, requestId2, { email: "replay@xcorp.example", name: "Replay" }, { assertionId: first!.assertionId });
    expect((await deliver(jar2, again)).redirect).toBe("/login?error=sso_failed");
    const reasons = (await eventsSince(since, xcorp)).filter((e) => e.action === "login.sso_failed").map((e) => (e.metadata as { reason: string }).reason);
    expect(reasons).toEqual(["unknown_request", "replayed_assertion"]);
  });

  it("50 parallel posts of one response: exactly one sign-in", async () => {
    const jar = newJar();
    const requestId = await startAtIdp(jar, "race@xcorp.example");
    const response = await idp.respond(spMetadata, requestId, { email: "race@xcorp.example", name: "Race" });
    const results = await Promise.all(Array.from({ length: 50 }, () => handleSamlAcs(connectionId, response, ctx())));
    const winners = results.filter((r) => r.redirect.startsWith("/api/sso/saml/finish?"));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.redirect === "/login?error=sso_failed")).toHaveLength(49);
    const handoff = new URL(winners[0]!.redirect, "http://x").searchParams.get("handoff");
    const finished = await inBrowser(jar, () => Promise.allSettled(Array.from({ length: 10 }, () => finishSamlAnswer(handoff, ctx(), null))));
    expect(finished.filter((f) => f.status === "fulfilled"), String(finished.map((f) => (f.status === "rejected" ? (f.reason as Error).message : "ok")))).toHaveLength(1);
    expect(await inBrowser(jar, async () => (await snapshot(await currentFlow())).state)).toBe("LOGGED_IN");
  });

  it("an answer that comes back to another browser is refused (login CSRF)", async () => {
    const attacker = newJar();
    const requestId = await startAtIdp(attacker, "csrf@xcorp.example");
    const response = await idp.respond(spMetadata, requestId, { email: "csrf@xcorp.example", name: "Csrf" });
    const { redirect } = await deliver(newJar(), response);
    expect(redirect).toBe("/login?error=sso_failed");
    expect(await person("csrf@xcorp.example")).toBeUndefined();
  });

  it("isolation: XCorp's IdP asserting a TechCorp address signs nobody in", async () => {
    const since = new Date();
    const { redirect } = await samlSignIn("someone@xcorp.example", { email: "owner@techcorp.example", groups: ["eng-admins"] });
    expect(redirect).toBe("/login?error=sso_failed");
    expect(await roleOf("owner@techcorp.example", xcorp)).toBeNull();
    expect((await eventsSince(since, xcorp)).at(-1)).toMatchObject({ action: "login.sso_failed", metadata: { reason: "domain_not_claimed" } });
    expect(await eventsSince(since, techcorp)).toEqual([]);
  });

  it("MFA: a multi-factor AuthnContext meets the org's requirement only when the connection says the IdP enforces MFA", async () => {
    await getDb().db.update(orgs).set({ requireMfa: true }).where(eq(orgs.id, xcorp));
    const mfaUser = { email: "mfa@xcorp.example", name: "Mfa", authnContext: "http://schemas.microsoft.com/claims/multipleauthn" };
    expect((await samlSignIn("mfa@xcorp.example", mfaUser)).snap.state).toBe("TWO_FACTOR_ENROLLMENT_REQUIRED");
    await changeConnection(xcorp, people["owner@xcorp.example"]!, connectionId, { idpEnforcesMfa: true }, ctx());
    expect((await samlSignIn("mfa@xcorp.example", mfaUser)).snap.state).toBe("LOGGED_IN");
    expect((await samlSignIn("mfa@xcorp.example", { email: "mfa@xcorp.example", name: "Mfa" })).snap.state).toBe("TWO_FACTOR_ENROLLMENT_REQUIRED");
    await getDb().db.update(orgs).set({ requireMfa: false }).where(eq(orgs.id, xcorp));
  });

  it("clock skew is bounded: 30 s ahead is accepted, 5 minutes ahead is refused (not_yet_valid)", async () => {
    const ahead = (ms: number) => ({ issueInstant: new Date(Date.now() + ms), notOnOrAfter: new Date(Date.now() + ms + 5 * 60_000) });
    expect((await samlSignIn("skew@xcorp.example", { email: "skew@xcorp.example", name: "Skew" }, ahead(30_000))).snap.state).toBe("LOGGED_IN");
    const since = new Date();
    expect((await samlSignIn("skew@xcorp.example", { email: "skew@xcorp.example", name: "Skew" }, ahead(5 * 60_000))).redirect).toBe("/login?error=sso_failed");
    expect((await eventsSince(since, xcorp)).at(-1)).toMatchObject({ action: "login.sso_failed", metadata: { reason: "not_yet_valid" } });
  });

  it("a connection disabled while the user is at the IdP signs nobody in", async () => {
    const owner = people["owner@xcorp.example"]!;
    const jar = newJar();
    const requestId = await startAtIdp(jar, "late@xcorp.example");
    await setConnectionEnabled(xcorp, owner, connectionId, false, ctx());
    const since = new Date();
    const { redirect } = await deliver(jar, await idp.respond(spMetadata, requestId, { email: "late@xcorp.example", name: "Late" }));
    await setConnectionEnabled(xcorp, owner, connectionId, true, ctx());
    expect(redirect).toBe("/login?error=sso_failed");
    expect((await eventsSince(since, xcorp)).find((e) => e.action === "login.sso_failed")).toMatchObject({ metadata: { reason: "connection_disabled" } });
    expect(await person("late@xcorp.example")).toBeUndefined();
  });

  it("answers matching no pending request are audited, at most SAML_UNMATCHED_PER_IP per IP, then 429", async () => {
    const from = (): RequestContext => ({ ip: "203.0.113.77", userAgent: "vitest", requestId: randomUUID() });
    const stray = await idp.respond(spMetadata, null, { email: "stray@xcorp.example" }, { inResponseTo: null });
    for (let i = 0; i < SAML_UNMATCHED_PER_IP.max; i++) expect((await handleSamlAcs(connectionId, stray, from())).redirect).toBe("/login?error=sso_failed");
    await expectFailure(handleSamlAcs(connectionId, stray, from()), 429);
  });

  it("new IdP metadata (certificate rollover) disables the connection until tested again, and the old key stops working", async () => {
    const owner = people["owner@xcorp.example"]!;
    const rolled = await startTestSamlIdp("xcorp-idp-rolled");
    try {
      // Same IdP, new key: the rolled metadata keeps the entity id and SSO URL of the original.
      const metadataXml = rolled.metadata.replaceAll(rolled.entityId, idp.entityId).replaceAll(rolled.ssoUrl, idp.ssoUrl);
      await expectFailure(changeConnection(xcorp, owner, connectionId, { metadataXml: "<nope" }, ctx()), 422, "invalid_metadata");
      await changeConnection(xcorp, owner, connectionId, { metadataXml }, ctx());
      const [row] = await getDb().db.select().from(ssoConnections).where(eq(ssoConnections.id, connectionId));
      expect(row).toMatchObject({ enabled: false, testedAt: null, samlIdpEntityId: idp.entityId });
      await inBrowser(newJar(), () => expectFailure(startSsoSignIn({ email: "roll@xcorp.example" }, ctx()), 404, "no_sso"));
      // Test again (signed with the new key), enable, and the old key is refused.
      const url = await idpRedirectForTest(xcorp, owner.id, connectionId);
      const acs = await handleSamlAcs(connectionId, await rolled.respond(spMetadata, idp.requestIdOf(url), { email: "it.admin@xcorp.example" }, { issuer: idp.entityId }), ctx());
      await inBrowser(newJar(), () => finishSamlAnswer(new URL(acs.redirect, "http://x").searchParams.get("handoff"), ctx(), owner.id));
      await setConnectionEnabled(xcorp, owner, connectionId, true, ctx());
      const since = new Date();
      expect((await samlSignIn("roll@xcorp.example", { email: "roll@xcorp.example", name: "Roll" })).redirect).toBe("/login?error=sso_failed");
      expect((await eventsSince(since, xcorp)).at(-1)).toMatchObject({ metadata: { reason: "invalid_signature" } });
    } finally {
      await rolled.close();
    }
  });

  it("an unknown connection or an empty answer is a 4xx, never a 500", async () => {
    await expectFailure(handleSamlAcs(randomUUID(), "x", ctx()), 404);
    await expectFailure(handleSamlAcs("not-a-uuid", "x", ctx()), 404);
    await expectFailure(handleSamlAcs(connectionId, null, ctx()), 400, "invalid_request");
    expect((await handleSamlAcs(connectionId, Buffer.from("<html/>").toString("base64"), ctx())).redirect).toBe("/login?error=sso_failed");
    await expectFailure(inBrowser(newJar(), () => finishSamlAnswer("nope", ctx(), null)), 400, "invalid_state");
  });
});

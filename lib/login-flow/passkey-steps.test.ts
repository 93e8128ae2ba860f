import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, loginFlows, orgs, passkeys, users, webauthnChallenges } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import { currentCode } from "@/lib/mfa/totp";
import { browserHeadersMock, inBrowser, type Jar, newJar } from "@/test/browser-jar";
import { useTestDatabase } from "@/test/db";
import { createUser, ctx, eventCount, mailCount, outcome } from "@/test/sign-in";
import { SoftAuthenticator } from "@/test/webauthn-authenticator";

vi.mock("next/headers", () => browserHeadersMock());
const { signInWithPassword } = await import("./sign-in");
const { currentFlow, snapshot } = await import("./flow");
const { passkeyOptions, verifyPasskey, enrollPasskey, passkeySignInFlow } = await import("./passkey-steps");
const { beginMfaEnrollment, verifyMfa } = await import("./mfa-steps");
const { loginStateResponse } = await import("./state-response");
const { accountRegistrationOptions, registerPasskey, removePasskey, reauthOptions, listPasskeys } = await import("@/lib/passkeys/account");
const { consumeChallenge, assertionOptions } = await import("@/lib/passkeys/webauthn");
const { seedDemo } = await import("@/lib/seed/demo");
/** A confirmed user with a name (the demo's required property), a password and optionally TOTP. */
const createNamedUser = async (email: string, opts: { totp?: boolean } = {}) => {
  const created = await createUser(email, PASSWORD, opts);
  await getDb().update(users).set({ name: email.split("@")[0] }).where(eq(users.id, created.id));
  return created;
};

useTestDatabase();
const here = ctx("198.51.100.7");
const PASSWORD = "gatehouse-demo-2026";
type Options = { challenge: string; rpId?: string; rp: { id?: string }; user: { id: string } };
type Response = Parameters<typeof verifyPasskey>[0]["response"];

const stateIn = (jar: Jar) => inBrowser(jar, async () => (await snapshot(await currentFlow())).state);
const options = (jar: Jar) => inBrowser(jar, () => passkeyOptions({}, here)) as Promise<{ ceremony: string; options: Options }>;
const verify = (jar: Jar, response: unknown) => inBrowser(jar, () => verifyPasskey({ response: response as Response }, here));
const userOf = async (email: string) => (await getDb().select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, email)))[0]!;
const refusals = async (reason: string) =>
  (await getDb().select().from(auditEvents).where(eq(auditEvents.action, "passkey.refused"))).filter((e) => (e.metadata as { reason?: string }).reason === reason).length;

/** A passkey registered from the account page, as the user would. */
async function withPasskey(email: string) {
  const user = await userOf(email);
  const authenticator = new SoftAuthenticator();
  const opts = (await accountRegistrationOptions(user)) as unknown as Options;
  await registerPasskey(user, { name: "Laptop", response: authenticator.create(opts) as never }, here);
  return { user, authenticator };
}

/** A passkey sign-in in a fresh browser: options, then the authenticator's answer. */
async function passkeySignIn(authenticator: SoftAuthenticator, answer: Parameters<SoftAuthenticator["get"]>[1] = {}) {
  const jar = newJar();
  const { options: opts } = await options(jar);
  const response = authenticator.get(opts, answer);
  return { jar, response, result: await outcome(verify(jar, response)) };
}

beforeAll(async () => {
  await seedDemo(getDb());
});

describe("registering a passkey", () => {
  it("stores credential id, public key, counter, transports and backup flags; audited and mailed", async () => {
    const { user, authenticator } = await withPasskey("owner@xcorp.example");
    const [row] = await getDb().select().from(passkeys).where(eq(passkeys.userId, user.id));
    expect(row).toMatchObject({ credentialId: authenticator.credentialId, counter: 0, transports: ["internal"], backupEligible: true, backedUp: true, name: "Laptop" });
    expect(row!.publicKey.length).toBeGreaterThan(40);
    expect(await listPasskeys(user.id)).toHaveLength(1);
    expect(await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "passkey.registered"), eq(auditEvents.actorId, user.id)))).toHaveLength(1);
    expect(await mailCount("owner@xcorp.example", "security.passkey_added")).toBe(1);
  });

  it("refuses a registration without user verification, for another origin, or with a challenge used before", async () => {
    const user = await userOf("admin@xcorp.example");
    const noUv = await accountRegistrationOptions(user);
    expect(await outcome(registerPasskey(user, { name: "x", response: new SoftAuthenticator().create(noUv as never, { uv: false }) as never }, here))).toBe("400 passkey_refused");
    const evil = await accountRegistrationOptions(user);
    expect(await outcome(registerPasskey(user, { name: "x", response: new SoftAuthenticator().create(evil as never, { origin: "https://evil.example" }) as never }, here))).toBe(
      "400 passkey_refused",
    );
    const once = await accountRegistrationOptions(user);
    const answer = new SoftAuthenticator().create(once as never);
    expect(await outcome(registerPasskey(user, { name: "ok", response: answer as never }, here))).toBe("ok");
    expect(await outcome(registerPasskey(user, { name: "again", response: answer as never }, here))).toBe("400 passkey_refused");
    expect(await listPasskeys(user.id)).toHaveLength(1);
  });
});

describe("signing in with a passkey (no password)", () => {
  it("a UV passkey is both factors: the TOTP step is skipped, the flow is LOGGED_IN", async () => {
    const { authenticator } = await withPasskey("member@xcorp.example");
    await createUser("ignored@example.com", PASSWORD); // another account changes nothing
    const { jar, result } = await passkeySignIn(authenticator);
    expect(result).toBe("ok");
    expect(await stateIn(jar)).toBe("LOGGED_IN");
    const flow = await inBrowser(jar, () => currentFlow());
    expect(flow).toMatchObject({ method: "passkey", email: "member@xcorp.example" });
    expect(flow!.passkeyVerifiedAt).not.toBeNull();
    expect(await eventCount("passkey.used", "Laptop")).toBeGreaterThan(0);
    const [row] = await getDb().select().from(passkeys).where(eq(passkeys.credentialId, authenticator.credentialId));
    expect(row!.counter).toBe(1);
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it("satisfies an org's require-MFA for a user with TOTP", async () => {
    const { id, secret } = await createNamedUser("strict@example.com", { totp: true });
    const [org] = await getDb().select().from(orgs).where(eq(orgs.slug, "xcorp"));
    await getDb().execute(sql`insert into memberships (org_id, user_id, role_id) select ${org!.id}, ${id}, role_id from memberships where org_id = ${org!.id} limit 1`);
    await getDb().update(orgs).set({ requireMfa: true }).where(eq(orgs.id, org!.id));
    try {
      const { authenticator } = await withPasskey("strict@example.com");
      const { jar, result } = await passkeySignIn(authenticator);
      expect(result).toBe("ok");
      expect(await stateIn(jar)).toBe("LOGGED_IN");
      expect(secret).not.toBeNull();
    } finally {
      await getDb().update(orgs).set({ requireMfa: false }).where(eq(orgs.id, org!.id));
    }
  });

  it("a replayed assertion is refused (its challenge was consumed)", async () => {
    const { authenticator } = await withPasskey("owner@techcorp.example");
    const first = await passkeySignIn(authenticator);
    expect(first.result).toBe("ok");
    // The same answer again, in a new pending sign-in of the attacker's browser.
    const jar = newJar();
    await options(jar);
    expect(await outcome(verify(jar, first.response))).toBe("400 passkey_refused");
    expect(await stateIn(jar)).toBe("LOGIN_REQUIRED");
    expect(await refusals("unknown_challenge")).toBeGreaterThan(0);
  });

  it("an answer for another origin or another RP id, or without user verification, is refused", async () => {
    const { authenticator } = await withPasskey("admin@techcorp.example");
    const before = { origin: await refusals("wrong_origin"), rp: await refusals("wrong_rp_id"), uv: await refusals("user_not_verified") };
    expect((await passkeySignIn(authenticator, { origin: "https://gatehouse.evil.example" })).result).toBe("400 passkey_refused");
    expect((await passkeySignIn(authenticator, { rpId: "evil.example" })).result).toBe("400 passkey_refused");
    expect((await passkeySignIn(authenticator, { uv: false })).result).toBe("400 passkey_refused");
    expect(await refusals("wrong_origin")).toBe(before.origin + 1);
    expect(await refusals("wrong_rp_id")).toBe(before.rp + 1);
    expect(await refusals("user_not_verified")).toBe(before.uv + 1);
    // The passkey itself still works.
    expect((await passkeySignIn(authenticator)).result).toBe("ok");
  });

  it("a counter that goes backwards is refused, the passkey is blocked, audited and the owner told", async () => {
    const { user, authenticator } = await withPasskey("john@xcorp.example");
    expect((await passkeySignIn(authenticator, { counter: 5 })).result).toBe("ok");
    expect((await passkeySignIn(authenticator, { counter: 3 })).result).toBe("400 passkey_refused");
    const [row] = await getDb().select().from(passkeys).where(eq(passkeys.userId, user.id));
    expect(row!.flaggedAt).not.toBeNull();
    expect(row!.counter).toBe(5);
    expect(await refusals("counter_regression")).toBeGreaterThan(0);
    expect((await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "passkey.counter_anomaly"), eq(auditEvents.targetId, row!.id))))).toHaveLength(1);
    expect(await mailCount("john@xcorp.example", "security.passkey_flagged")).toBe(1);
    // Blocked from then on, even with a good counter.
    expect((await passkeySignIn(authenticator, { counter: 9 })).result).toBe("400 passkey_refused");
    expect(await refusals("flagged_credential")).toBeGreaterThan(0);
  });

  it("a forged answer with a low counter blocks nothing (the signature is checked first)", async () => {
    const { user, authenticator } = await withPasskey("support@gatehouse.example");
    expect((await passkeySignIn(authenticator, { counter: 10 })).result).toBe("ok");
    const jar = newJar();
    const { options: opts } = await options(jar);
    const forged = authenticator.get(opts, { counter: 2 });
    forged.response.signature = new SoftAuthenticator().get(opts, { counter: 2 }).response.signature;
    expect(await outcome(verify(jar, forged))).toBe("400 passkey_refused");
    const [row] = await getDb().select().from(passkeys).where(eq(passkeys.userId, user.id));
    expect(row!.flaggedAt).toBeNull();
  });

  it("arming a passkey sign-in never replaces a password sign-in of the same browser", async () => {
    const jar = newJar();
    await inBrowser(jar, () => signInWithPassword({ email: "member@xcorp.example", password: PASSWORD }, here));
    const before = await stateIn(jar);
    expect(before).not.toBe("LOGIN_REQUIRED");
    const racing = newJar();
    await options(racing); // conditional UI armed first …
    await inBrowser(racing, () => signInWithPassword({ email: "member@xcorp.example", password: PASSWORD }, here)); // … then the password
    expect(await stateIn(racing)).toBe(before);
    // A passkey answer arriving now for the armed challenge does not fit the step the browser is at.
  });

  it("a challenge issued to another pending sign-in is refused", async () => {
    const { authenticator } = await withPasskey("member@techcorp.example");
    const victim = newJar();
    const attacker = newJar();
    const { options: victimOptions } = await options(victim);
    await options(attacker);
    expect(await outcome(verify(attacker, authenticator.get(victimOptions)))).toBe("400 passkey_refused");
    expect(await stateIn(attacker)).toBe("LOGIN_REQUIRED");
  });

  it("an expired challenge is refused", async () => {
    const { authenticator } = await withPasskey("admin@gatehouse.example");
    const jar = newJar();
    const { options: opts } = await options(jar);
    await getDb().update(webauthnChallenges).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(webauthnChallenges.challenge, opts.challenge));
    expect(await outcome(verify(jar, authenticator.get(opts)))).toBe("400 passkey_refused");
  });

  it("an unknown passkey counts against the pending sign-in: the fifth refusal ends it", async () => {
    const stranger = new SoftAuthenticator();
    const jar = newJar();
    await options(jar);
    const flowId = (await inBrowser(jar, () => passkeySignInFlow()))!.id;
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { options: opts } = await options(jar);
      results.push(await outcome(verify(jar, stranger.get(opts))));
    }
    expect(results).toEqual(Array(5).fill("400 passkey_refused"));
    const [flow] = await getDb().select().from(loginFlows).where(eq(loginFlows.id, flowId));
    expect(flow!.failedMfaAttempts).toBe(5);
    expect(await inBrowser(jar, () => passkeySignInFlow())).toBeNull(); // the pending sign-in ended
  });
});

describe("a passkey as second factor after a password", () => {
  it("is offered beside TOTP, and satisfies TWO_FACTOR_REQUIRED", async () => {
    const { secret } = await createNamedUser("both@example.com", { totp: true });
    const { authenticator } = await withPasskey("both@example.com");
    const jar = newJar();
    await inBrowser(jar, () => signInWithPassword({ email: "both@example.com", password: PASSWORD }, here));
    expect(await stateIn(jar)).toBe("TWO_FACTOR_REQUIRED");
    expect((await inBrowser(jar, () => loginStateResponse())).factors).toEqual({ totp: true, passkey: true });
    const { ceremony, options: opts } = await options(jar);
    expect(ceremony).toBe("second_factor");
    expect(await outcome(verify(jar, authenticator.get(opts)))).toBe("ok");
    // No org: the next step after the second factor.
    expect(await stateIn(jar)).toBe("USER_MUST_BE_IN_AT_LEAST_ONE_ORG");
    expect(secret).not.toBeNull();
  });

  it("another user's passkey does not count", async () => {
    await createUser("victim2fa@example.com", PASSWORD);
    await withPasskey("victim2fa@example.com");
    const { authenticator: mine } = await withPasskey("owner@xcorp.example");
    const jar = newJar();
    await inBrowser(jar, () => signInWithPassword({ email: "victim2fa@example.com", password: PASSWORD }, here));
    expect(await stateIn(jar)).toBe("TWO_FACTOR_REQUIRED");
    const { options: opts } = await options(jar);
    expect(await outcome(verify(jar, mine.get(opts)))).toBe("400 passkey_refused");
    expect(await refusals("not_your_credential")).toBeGreaterThan(0);
    expect(await stateIn(jar)).toBe("TWO_FACTOR_REQUIRED");
  });
});

describe("an org that requires a phishing-resistant factor", () => {
  it("asks a TOTP user to enrol a passkey (an app is not offered), then lets them in", async () => {
    const { id, secret } = await createNamedUser("phish@example.com", { totp: true });
    const [org] = await getDb().select().from(orgs).where(eq(orgs.slug, "techcorp"));
    await getDb().execute(sql`insert into memberships (org_id, user_id, role_id) select ${org!.id}, ${id}, role_id from memberships where org_id = ${org!.id} limit 1`);
    await getDb().update(orgs).set({ requirePasskey: true }).where(eq(orgs.id, org!.id));
    try {
      const jar = newJar();
      await inBrowser(jar, () => signInWithPassword({ email: "phish@example.com", password: PASSWORD }, here));
      expect(await stateIn(jar)).toBe("TWO_FACTOR_REQUIRED");
      await inBrowser(jar, () => verifyMfa({ code: currentCode(secret!) }, here));
      expect(await stateIn(jar)).toBe("TWO_FACTOR_ENROLLMENT_REQUIRED");
      expect((await inBrowser(jar, () => loginStateResponse())).factors).toEqual({ totp: false, passkey: true });
      expect(await outcome(inBrowser(jar, () => beginMfaEnrollment(here)))).toBe("409 passkey_required");
      const { ceremony, options: opts } = await options(jar);
      expect(ceremony).toBe("enroll");
      const authenticator = new SoftAuthenticator();
      await inBrowser(jar, () => enrollPasskey({ name: "Phone", response: authenticator.create(opts) as never }, here));
      expect(await stateIn(jar)).toBe("LOGGED_IN");

      // Next time: password + TOTP is not enough, the passkey is asked for.
      const again = newJar();
      await inBrowser(again, () => signInWithPassword({ email: "phish@example.com", password: PASSWORD }, here));
      await inBrowser(again, () => verifyMfa({ code: currentCode(secret!, Date.now() + 30_000) }, here));
      expect(await stateIn(again)).toBe("TWO_FACTOR_REQUIRED");
      expect((await inBrowser(again, () => loginStateResponse())).factors).toEqual({ totp: false, passkey: true });
      const { options: second } = await options(again);
      expect(await outcome(verify(again, authenticator.get(second)))).toBe("ok");
      expect(await stateIn(again)).toBe("LOGGED_IN");
    } finally {
      await getDb().update(orgs).set({ requirePasskey: false }).where(eq(orgs.id, org!.id));
    }
  });
});

describe("removing a passkey", () => {
  it("needs a fresh passkey or TOTP check; a wrong code or another user's passkey id changes nothing", async () => {
    const { id, secret } = await createUser("remover@example.com", PASSWORD, { totp: true });
    const user = { id, email: "remover@example.com", name: null };
    const { authenticator } = await withPasskey("remover@example.com");
    await withPasskey("remover@example.com");
    const [first, second] = await listPasskeys(id);
    expect(await outcome(removePasskey(user, first!.id, { code: "000000" }, here))).toBe("400 invalid_code");
    const other = (await listPasskeys((await userOf("owner@xcorp.example")).id))[0]!;
    expect(await outcome(removePasskey(user, other.id, { code: currentCode(secret!) }, here))).toBe("404 not_found");
    expect(await listPasskeys(id)).toHaveLength(2);

    expect(await outcome(removePasskey(user, second!.id, { code: currentCode(secret!) }, here))).toBe("ok");
    const opts = await reauthOptions(user);
    expect(await outcome(removePasskey(user, first!.id, { response: authenticator.get(opts) as never }, here))).toBe("ok");
    expect(await listPasskeys(id)).toHaveLength(0);
    expect(await eventCount("passkey.removed", "Laptop")).toBeGreaterThanOrEqual(2);
    expect(await mailCount("remover@example.com", "security.passkey_removed")).toBe(2);
  });
});

describe("challenges", () => {
  it("are single-use: of 50 parallel consumes of one challenge exactly one succeeds", async () => {
    const user = await userOf("owner@xcorp.example");
    const opts = await assertionOptions("reauth", { userId: user.id }, []);
    const clientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: opts.challenge, origin: "http://localhost:3000" })).toString("base64url");
    const results = await Promise.all(Array.from({ length: 50 }, () => outcome(consumeChallenge(clientData, "reauth", { userId: user.id }))));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "400 passkey_refused")).toHaveLength(49);
  });

  it("50 parallel posts of one valid assertion sign in once", async () => {
    const { authenticator } = await withPasskey("owner@techcorp.example");
    const jar = newJar();
    const { options: opts } = await options(jar);
    const response = authenticator.get(opts);
    const results = await Promise.all(Array.from({ length: 50 }, () => outcome(verify(jar, response))));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.every((r) => r === "ok" || r === "400 passkey_refused" || r === "429 too_many_attempts" || r === "409 wrong_state")).toBe(true);
  });
});

import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { browserHeadersMock, inBrowser, newJar } from "@/test/browser-jar";
import { stampedHeaders } from "@/test/client-ip";
import { useTestDatabase } from "@/test/db";
import { createUser, ctx, eventCount, mailCount, outcome } from "@/test/sign-in";

vi.mock("next/headers", () => browserHeadersMock());
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));
// Every argon2id verify of the step, with the hash it verified against (the real verify).
const verifies = vi.hoisted(() => [] as (string | null | undefined)[]);
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...real,
    verifyPassword: (stored: string | null | undefined, password: string) => {
      verifies.push(stored);
      return real.verifyPassword(stored, password);
    },
  };
});
const { signInWithPassword } = await import("./sign-in");
const { rememberSignInDevice } = await import("./device-sign-in");
const { DEVICE_COOKIE, deviceCookieValue } = await import("./device-cookie");
const { requestMagicLink, redeemMagicLink } = await import("./link-steps");
const { backgroundSettled } = await import("./background");
const { POST: passwordRoute } = await import("@/app/api/login/password/route");
const { NextRequest } = await import("next/server");
const { getDb } = await import("@/lib/db");
const { loginFlows, mailOutbox } = await import("@/drizzle/schema");
const { and, desc, eq } = await import("drizzle-orm");
const { openMailBody } = await import("@/lib/mail/body");

useTestDatabase();
const PASSWORD = "correct horse battery staple";
const attempt = (email: string, password: string, ip: string | null, jar = newJar()) =>
  outcome(inBrowser(jar, () => signInWithPassword({ email, password }, ctx(ip))));
const flowCount = async (email: string) => (await getDb().select({ id: loginFlows.id }).from(loginFlows).where(eq(loginFlows.email, email))).length;
const times = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

function setBudgets(budgets: Record<string, string>) {
  Object.assign(process.env, budgets);
  resetEnvForTests();
}
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith("SIGN_IN_")) delete process.env[k];
  resetEnvForTests();
});

beforeAll(async () => {
  for (const name of ["race", "spread", "owner", "forged", "stop", "unknown-twin", "early", "early-race", "early-stop"]) await createUser(`${name}@example.com`, PASSWORD);
});

describe("password step budgets (reserve before spending)", () => {
  it("50 concurrent wrong passwords from one client → at most 5 evaluated, one throttle event", async () => {
    const results = await times(50, () => attempt("race@example.com", "wrong password 1", "198.51.100.7"));
    expect(results.filter((r) => r === "401 invalid_credentials").length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === "429 rate_limited").length).toBeGreaterThanOrEqual(45);
    expect(await eventCount("login.failed", "race@example.com")).toBeLessThanOrEqual(5);
    expect(await eventCount("login.throttled", "race@example.com")).toBe(1);
    // The admission inserts the pending sign-in only within budget, and a wrong password deletes it.
    expect(await flowCount("race@example.com")).toBe(0);
  });

  it("a correct password leaves exactly one pending sign-in, for this browser; wrong ones and unknown addresses none", async () => {
    const jar = newJar();
    expect(await attempt("unknown-twin@example.com", "not the password", "198.51.100.70")).toBe("401 invalid_credentials");
    expect(await attempt("nobody-at-all@example.com", "not the password", "198.51.100.70")).toBe("401 invalid_credentials");
    expect(await attempt("unknown-twin@example.com", PASSWORD, "198.51.100.70", jar)).toBe("ok");
    expect(await flowCount("unknown-twin@example.com")).toBe(1);
    expect(await flowCount("nobody-at-all@example.com")).toBe(0);
    const { flowByToken, FLOW_COOKIE } = await import("./flow");
    const { cookieName } = await import("@/lib/http/cookies");
    const flow = await flowByToken(jar.get(cookieName(FLOW_COOKIE))!);
    expect(flow).toMatchObject({ email: "unknown-twin@example.com", method: "password" });
    expect(flow!.passwordVerifiedAt).toBeInstanceOf(Date);
  });

  it("50 concurrent wrong passwords from 50 addresses → at most 10 evaluated (account budget), owner told once", async () => {
    const results = await times(50, (i) => attempt("spread@example.com", "wrong password 2", `203.0.113.${i + 1}`));
    expect(results.filter((r) => r === "401 invalid_credentials").length).toBeLessThanOrEqual(10);
    expect(await eventCount("login.failed", "spread@example.com")).toBeLessThanOrEqual(10);
    expect(await eventCount("login.throttled", "spread@example.com")).toBe(1);
    expect(await mailCount("spread@example.com", "security.account_locked")).toBe(1);
    // The same story for an address with no account: same answers, so nothing is revealed.
    const unknown = await times(50, (i) => attempt("nobody-here@example.com", "wrong password 2", `203.0.114.${i + 1}`));
    expect(unknown.filter((r) => r === "401 invalid_credentials").length).toBe(results.filter((r) => r === "401 invalid_credentials").length);
  });

  it("the owner signs in from a remembered browser while an attacker hammers the account", async () => {
    const ownerBrowser = newJar();
    await inBrowser(ownerBrowser, () => rememberSignInDevice("00000000-0000-0000-0000-000000000000", "owner@example.com"));
    expect(ownerBrowser.get(DEVICE_COOKIE)).toBeTruthy();

    const attacker = await times(60, (i) => attempt("owner@example.com", `guess ${i}`, `192.0.2.${i + 1}`));
    expect(attacker.filter((r) => r === "401 invalid_credentials").length).toBeLessThanOrEqual(10);
    expect(attacker.at(-1)).toBe("429 rate_limited");
    // A new browser of the owner is throttled with the attacker …
    expect(await attempt("owner@example.com", PASSWORD, "192.0.2.200")).toBe("429 rate_limited");
    // … but the remembered one has its own budget, and a forged device cookie is worth nothing.
    expect(await attempt("owner@example.com", PASSWORD, "198.51.100.99", ownerBrowser)).toBe("ok");
    const forged = new Map([[DEVICE_COOKIE, deviceCookieValue("attacker-device", "owner@example.com").replace(/.$/, "x")]]);
    expect(await attempt("owner@example.com", "guess again", "192.0.2.201", forged)).toBe("429 rate_limited");
  });

  it("a forged X-Forwarded-For changes nothing without TRUST_PROXY: every request is the same client", async () => {
    const post = (forwardedFor: string) =>
      passwordRoute(
        new NextRequest("http://localhost:3000/api/login/password", {
          method: "POST",
          headers: { origin: "http://localhost:3000", host: "localhost:3000", "content-type": "application/json", "x-forwarded-for": forwardedFor },
          body: JSON.stringify({ email: "forged@example.com", password: "not it" }),
        }),
        { params: Promise.resolve({}) },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await inBrowser(newJar(), () => post(`10.9.8.${i}`))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // A request our server stamped from a real other address has its own budget.
    const stamped = await inBrowser(newJar(), () =>
      passwordRoute(
        new NextRequest("http://localhost:3000/api/login/password", {
          method: "POST",
          headers: { origin: "http://localhost:3000", host: "localhost:3000", "content-type": "application/json", ...stampedHeaders("198.51.100.50") },
          body: JSON.stringify({ email: "forged@example.com", password: "not it" }),
        }),
        { params: Promise.resolve({}) },
      ),
    );
    expect(stamped.status).toBe(401);
  });
});

describe("settling successes", () => {
  it("30 concurrent correct passwords for one account from one client all succeed: reservations and settlements never deadlock", async () => {
    setBudgets({ SIGN_IN_FAILURES_PER_CLIENT: "1000", SIGN_IN_FAILURES_PER_ACCOUNT: "1000", SIGN_IN_FAILURES_PER_IP: "1000" });
    await createUser("busy@example.com", PASSWORD);
    // Twice over: the second wave's reservations meet the first wave's settlements (run after each answer).
    for (let wave = 0; wave < 2; wave++) {
      const results = await times(30, () => attempt("busy@example.com", PASSWORD, "198.51.100.80"));
      expect(results.filter((r) => r !== "ok")).toEqual([]);
    }
    await backgroundSettled();
  }, 120_000);
});

describe("hard stop", () => {
  it("after 100 consecutive failures only a reset or a magic link signs in; the lock is audited and mailed once", async () => {
    setBudgets({ SIGN_IN_FAILURES_PER_CLIENT: "1000", SIGN_IN_FAILURES_PER_ACCOUNT: "1000", SIGN_IN_FAILURES_PER_IP: "1000" });
    for (let i = 0; i < 100; i++) expect(await attempt("stop@example.com", `wrong ${i}`, `192.0.2.${i % 200}`)).toBe("401 invalid_credentials");
    expect(await attempt("stop@example.com", PASSWORD, "198.51.100.1")).toBe("423 account_locked");
    expect(await attempt("stop@example.com", PASSWORD, "198.51.100.2")).toBe("423 account_locked");
    expect(await eventCount("login.locked", "stop@example.com")).toBe(1);
    expect(await mailCount("stop@example.com", "security.account_locked")).toBe(1);

    await requestMagicLink("stop@example.com", ctx("198.51.100.1"));
    await backgroundSettled();
    const [mail] = await getDb()
      .select({ text: mailOutbox.text })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.to, "stop@example.com"), eq(mailOutbox.template, "login.magic_link")))
      .orderBy(desc(mailOutbox.createdAt));
    const token = openMailBody(mail!.text).match(/\/magic\/([\w-]+)/)![1]!;
    await inBrowser(newJar(), () => redeemMagicLink(token, ctx("198.51.100.1")));
    expect(await attempt("stop@example.com", PASSWORD, "198.51.100.1")).toBe("ok");
  }, 240_000); // 100 argon2 verifies: minutes on a busy machine
});

describe("the verify started alongside the admission (early-verify.ts)", () => {
  it("a repeated attempt reuses the early verify; a password changed since is verified again, against the new hash", async () => {
    const { hashPassword } = await import("@/lib/auth/password");
    const { users: usersTable } = await import("@/drizzle/schema");
    verifies.length = 0;
    expect(await attempt("early@example.com", PASSWORD, "198.51.100.120")).toBe("ok");
    expect(await attempt("early@example.com", PASSWORD, "198.51.100.120")).toBe("ok");
    // One verify per attempt: the second ran against the hash the first read, and that hash still holds.
    expect(verifies).toHaveLength(2);
    expect(verifies[1]).toBe(verifies[0]);
    // Changed elsewhere (another node, a reset): the early verify of the old password is not taken.
    const changed = await hashPassword("a brand new passphrase");
    await getDb().update(usersTable).set({ passwordHash: changed }).where(eq(usersTable.email, "early@example.com"));
    verifies.length = 0;
    expect(await attempt("early@example.com", PASSWORD, "198.51.100.120")).toBe("401 invalid_credentials");
    expect(verifies).toEqual([verifies[0], changed]);
    expect(verifies[0]).not.toBe(changed);
    expect(await attempt("early@example.com", "a brand new passphrase", "198.51.100.120")).toBe("ok");
  });

  it("an address over its budget gets no argon2 work, early or not", async () => {
    const results: string[] = [];
    for (let i = 0; i < 7; i++) results.push(await attempt("early-stop@example.com", `wrong ${i}`, "198.51.100.121"));
    expect(results.slice(0, 5)).toEqual(Array(5).fill("401 invalid_credentials"));
    expect(results.slice(5)).toEqual(["429 rate_limited", "429 rate_limited"]);
    verifies.length = 0;
    for (let i = 0; i < 5; i++) expect(await attempt("early-stop@example.com", PASSWORD, "198.51.100.121")).toBe("429 rate_limited");
    expect(verifies).toHaveLength(0);
  });

  it("50 concurrent attempts on an address with a hint: one early verify at most, besides those of the attempts let in", async () => {
    expect(await attempt("early-race@example.com", PASSWORD, "198.51.100.122")).toBe("ok");
    await backgroundSettled();
    verifies.length = 0;
    const results = await times(50, () => attempt("early-race@example.com", "wrong password 3", "198.51.100.123"));
    const evaluated = results.filter((r) => r === "401 invalid_credentials").length;
    expect(evaluated).toBeLessThanOrEqual(5);
    expect(verifies.length).toBeLessThanOrEqual(evaluated + 1);
  });
});

import { describe, expect, it, vi } from "vitest";
import { browserHeadersMock, inBrowser, newJar } from "@/test/browser-jar";
import { useTestDatabase } from "@/test/db";
import { createUser, ctx, eventCount, mailCount, outcome } from "@/test/sign-in";

vi.mock("next/headers", () => browserHeadersMock());
const { signInWithPassword } = await import("@/lib/login-flow/sign-in");
const { verifyMfa } = await import("@/lib/login-flow/mfa-steps");
const { removeMfa } = await import("./manage");
const { currentCode } = await import("./totp");

useTestDatabase();
const PASSWORD = "correct horse battery staple";

/** A code that is valid at no step near now. */
function wrongCode(secret: string): string {
  const near = new Set([-1, 0, 1, 2].map((d) => currentCode(secret, Date.now() + d * 30_000)));
  for (let i = 0; ; i++) {
    const code = String(123456 + i * 7919).padStart(6, "0").slice(-6);
    if (!near.has(code)) return code;
  }
}

/** `n` browsers, each past the password step and at TWO_FACTOR_REQUIRED. */
async function pendingSignIns(email: string, n: number) {
  const jars = [];
  for (let i = 0; i < n; i++) {
    const jar = newJar();
    await inBrowser(jar, () => signInWithPassword({ email, password: PASSWORD }, ctx("198.51.100.1")));
    jars.push(jar);
  }
  return jars;
}

describe("MFA budget per account", () => {
  it("50 concurrent wrong codes over 10 pending sign-ins → at most 10 evaluated, then locked and the owner told", async () => {
    const email = "mfa-race@example.com";
    const { secret } = await createUser(email, PASSWORD, { totp: true });
    const browsers = await pendingSignIns(email, 10);
    const code = wrongCode(secret!);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => outcome(inBrowser(browsers[i % 10]!, () => verifyMfa({ code }, ctx("198.51.100.1"))))),
    );
    expect(await eventCount("mfa.failed", email)).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r === "400 invalid_code" || r === "429 too_many_attempts").length).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r === "429 mfa_locked").length).toBeGreaterThanOrEqual(1);
    expect(await eventCount("mfa.locked", email)).toBe(1);
    expect(await mailCount(email, "security.mfa_locked")).toBe(1);

    // Even the right code is refused now, in a fresh sign-in too …
    const [fresh] = await pendingSignIns(email, 1);
    expect(await outcome(inBrowser(fresh!, () => verifyMfa({ code: currentCode(secret!) }, ctx("198.51.100.1"))))).toBe("429 mfa_locked");
    // … and outside sign-in: removing MFA shares the budget.
    const user = { id: (await createUserId(email))!, email, name: null };
    expect(await outcome(removeMfa(user, currentCode(secret!), ctx("198.51.100.1")))).toBe("429 mfa_locked");
  });

  it("a right code within the budget is accepted and not counted", async () => {
    const email = "mfa-ok@example.com";
    const { secret } = await createUser(email, PASSWORD, { totp: true });
    const [jar] = await pendingSignIns(email, 1);
    expect(await outcome(inBrowser(jar!, () => verifyMfa({ code: wrongCode(secret!) }, ctx("198.51.100.1"))))).toBe("400 invalid_code");
    expect(await outcome(inBrowser(jar!, () => verifyMfa({ code: currentCode(secret!, Date.now() + 30_000) }, ctx("198.51.100.1"))))).toBe("ok");
    expect(await eventCount("mfa.failed", email)).toBe(1);
  });
});

async function createUserId(email: string) {
  const { getDb } = await import("@/lib/db");
  const { users } = await import("@/drizzle/schema");
  const { eq } = await import("drizzle-orm");
  const [row] = await getDb().select({ id: users.id }).from(users).where(eq(users.email, email));
  return row?.id;
}

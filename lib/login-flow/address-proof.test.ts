import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { loginFlows, mailOutbox, mfaTotp, users } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import { openMailBody } from "@/lib/mail/body";
import { browserHeadersMock, inBrowser, type Jar, newJar } from "@/test/browser-jar";
import { useTestDatabase } from "@/test/db";
import { ctx, outcome } from "@/test/sign-in";

vi.mock("next/headers", () => browserHeadersMock());
const { signInWithPassword, signUp } = await import("./sign-in");
const { confirmEmail } = await import("./email-steps");
const { requestMagicLink, redeemMagicLink, requestPasswordReset, resetPassword } = await import("./link-steps");
const { backgroundSettled } = await import("./background");
const { currentFlow, snapshot } = await import("./flow");
const { updateRequiredPassword } = await import("./profile-steps");
const { startEnrollment } = await import("@/lib/mfa/totp");

useTestDatabase();
const ATTACKER_PASSWORD = "attacker chose this one";
const OWNER_PASSWORD = "the owner's own passphrase";
const attackerIp = ctx("192.0.2.66");
const ownerIp = ctx("198.51.100.10");

async function mailedToken(to: string, template: string, path: string): Promise<string> {
  await backgroundSettled();
  const [mail] = await getDb()
    .select({ text: mailOutbox.text })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.to, to), eq(mailOutbox.template, template)))
    .orderBy(desc(mailOutbox.createdAt));
  return openMailBody(mail!.text).match(new RegExp(`/${path}/([\\w-]+)`))![1]!;
}
const stateIn = (jar: Jar) => inBrowser(jar, async () => (await snapshot(await currentFlow())).state);
const signIn = (email: string, password: string, jar = newJar()) => outcome(inBrowser(jar, () => signInWithPassword({ email, password }, attackerIp)));

/** The attacker registers the victim's address with a password and an authenticator of their own. */
async function preRegister(email: string) {
  const attacker = newJar();
  await inBrowser(attacker, () => signUp({ email, password: ATTACKER_PASSWORD }, attackerIp));
  const [user] = await getDb().select().from(users).where(eq(users.email, email));
  await getDb().transaction((tx) => startEnrollment(tx, { id: user!.id, email }));
  return { attacker, userId: user!.id };
}

describe("no pre-account hijack", () => {
  it("magic link: the owner's proof removes the attacker's password, authenticator and pending sign-in", async () => {
    const email = "victim1@example.com";
    const { attacker, userId } = await preRegister(email);
    expect(await stateIn(attacker)).toBe("EMAIL_NOT_CONFIRMED_YET");

    const owner = newJar();
    await requestMagicLink(email, ownerIp);
    const magic = await mailedToken(email, "login.magic_link", "magic");
    await inBrowser(owner, () => redeemMagicLink(magic, ownerIp));
    expect(await stateIn(owner)).toBe("UPDATE_PASSWORD_REQUIRED");
    expect(await stateIn(attacker)).toBe("LOGIN_REQUIRED");
    expect(await getDb().select().from(mfaTotp).where(eq(mfaTotp.userId, userId))).toEqual([]);

    // The attacker's password is refused; the owner's own one works.
    expect(await signIn(email, ATTACKER_PASSWORD)).toBe("401 invalid_credentials");
    await inBrowser(owner, () => updateRequiredPassword({ password: OWNER_PASSWORD }, ownerIp));
    expect(await signIn(email, ATTACKER_PASSWORD)).toBe("401 invalid_credentials");
    expect(await signIn(email, OWNER_PASSWORD)).toBe("ok");
  });

  it("confirmation link opened by the owner in another browser: same, and the owner is asked for a password", async () => {
    const email = "victim2@example.com";
    const { attacker } = await preRegister(email);
    const owner = newJar();
    const link = await mailedToken(email, "email.confirm", "confirm-email");
    const result = await inBrowser(owner, () => confirmEmail(link, ownerIp));
    expect(result.continueSignIn).toBe(true);
    expect(await stateIn(owner)).toBe("UPDATE_PASSWORD_REQUIRED");
    expect(await stateIn(attacker)).toBe("LOGIN_REQUIRED");
    expect(await signIn(email, ATTACKER_PASSWORD)).toBe("401 invalid_credentials");
  });

  it("password reset on a never-confirmed account also ends the attacker's sign-ins", async () => {
    const email = "victim3@example.com";
    const { attacker, userId } = await preRegister(email);
    await requestPasswordReset(email, ownerIp);
    await resetPassword({ token: await mailedToken(email, "password.reset", "reset-password"), password: OWNER_PASSWORD }, ownerIp);
    expect(await stateIn(attacker)).toBe("LOGIN_REQUIRED");
    expect(await getDb().select().from(mfaTotp).where(eq(mfaTotp.userId, userId))).toEqual([]);
    expect(await signIn(email, ATTACKER_PASSWORD)).toBe("401 invalid_credentials");
    expect(await signIn(email, OWNER_PASSWORD)).toBe("ok");
  });

  it("the registrant who confirms in the browser that signed up keeps their password", async () => {
    const email = "honest@example.com";
    const browser = newJar();
    await inBrowser(browser, () => signUp({ email, password: OWNER_PASSWORD }, ownerIp));
    const link = await mailedToken(email, "email.confirm", "confirm-email");
    await inBrowser(browser, () => confirmEmail(link, ownerIp));
    expect(await stateIn(browser)).not.toBe("UPDATE_PASSWORD_REQUIRED");
    expect(await signIn(email, OWNER_PASSWORD)).toBe("ok");
  });

  it("a second sign-up on an unconfirmed address creates no second way in", async () => {
    const email = "victim4@example.com";
    await preRegister(email);
    await inBrowser(newJar(), () => signUp({ email, password: OWNER_PASSWORD }, ownerIp));
    expect(await signIn(email, OWNER_PASSWORD)).toBe("401 invalid_credentials");
    const rows = await getDb().select().from(loginFlows).where(eq(loginFlows.email, email));
    expect(rows.filter((f) => f.userId !== null)).toHaveLength(1); // only the first registrant's own flow
  });
});

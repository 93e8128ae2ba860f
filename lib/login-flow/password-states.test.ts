import { hash } from "@node-rs/argon2";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { users } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import { browserHeadersMock, inBrowser, type Jar, newJar } from "@/test/browser-jar";
import { useTestDatabase } from "@/test/db";
import { createUser, ctx, mailCount, outcome } from "@/test/sign-in";

vi.mock("next/headers", () => browserHeadersMock());
const { signInWithPassword } = await import("./sign-in");
const { currentFlow, snapshot } = await import("./flow");
const { updateRequiredPassword } = await import("./profile-steps");
const { requirePasswordChangeByStaff, requirePasswordChangeInOrg } = await import("./require-password-change");
const { needsRehash, verifyPassword } = await import("@/lib/auth/password");
const { seedDemo } = await import("@/lib/seed/demo");
const { findMembershipBySlug } = await import("@/lib/orgs/queries");

useTestDatabase();
const here = ctx("198.51.100.5");
const stateIn = (jar: Jar) => inBrowser(jar, async () => (await snapshot(await currentFlow())).state);
const signIn = async (email: string, password: string) => {
  const jar = newJar();
  await inBrowser(jar, () => signInWithPassword({ email, password }, here));
  return jar;
};
const idOf = async (email: string) => (await getDb().select().from(users).where(eq(users.email, email)))[0]!;

beforeAll(async () => {
  await seedDemo(getDb());
});

describe("UPDATE_PASSWORD_REQUIRED", () => {
  it("a blocklisted password at sign-in leads there, and the new password must differ from it", async () => {
    await createUser("common@example.com", "password1234");
    const jar = await signIn("common@example.com", "password1234");
    // No org: the state machine would stop later, but the password comes first.
    expect(await stateIn(jar)).toBe("UPDATE_PASSWORD_REQUIRED");
    expect(await outcome(inBrowser(jar, () => updateRequiredPassword({ password: "password1234" }, here)))).toBe("400 invalid_input");
    await inBrowser(jar, () => updateRequiredPassword({ password: "a much better passphrase" }, here));
    expect(await mailCount("common@example.com", "security.password_changed")).toBe(1);
  });

  it("an admin's requirement leads there; the current password is refused as the new one", async () => {
    await createUser("flagged@example.com", "my current passphrase");
    const staff = await idOf("admin@gatehouse.example");
    const target = await idOf("flagged@example.com");
    await requirePasswordChangeByStaff(staff, target.id, here);
    const jar = await signIn("flagged@example.com", "my current passphrase");
    expect(await stateIn(jar)).toBe("UPDATE_PASSWORD_REQUIRED");
    expect(await outcome(inBrowser(jar, () => updateRequiredPassword({ password: "my current passphrase" }, here)))).toBe("400 invalid_input");
  });

  it("org admins may require it from members within their rank only", async () => {
    const admin = await idOf("admin@xcorp.example");
    const membership = (await findMembershipBySlug(admin.id, "xcorp"))!;
    const member = await idOf("member@xcorp.example");
    const owner = await idOf("owner@xcorp.example");
    await requirePasswordChangeInOrg(admin, membership, member.id, here);
    expect((await idOf("member@xcorp.example")).passwordChangeRequired).toBe(true);
    expect(await outcome(requirePasswordChangeInOrg(admin, membership, owner.id, here))).toBe("403 forbidden");
    expect((await idOf("owner@xcorp.example")).passwordChangeRequired).toBe(false);
    const outsider = await idOf("member@techcorp.example");
    expect(await outcome(requirePasswordChangeInOrg(admin, membership, outsider.id, here))).toBe("404 not_found");
  });
});

describe("argon2 parameters", () => {
  it("a hash made with older parameters is re-computed at sign-in", async () => {
    const old = await hash("an older passphrase", { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(needsRehash(old)).toBe(true);
    await getDb().insert(users).values({ email: "old-hash@example.com", passwordHash: old, emailVerifiedAt: new Date() });
    await signIn("old-hash@example.com", "an older passphrase");
    const { passwordHash } = await idOf("old-hash@example.com");
    expect(passwordHash).not.toBe(old);
    expect(needsRehash(passwordHash!)).toBe(false);
    expect(await verifyPassword(passwordHash, "an older passphrase")).toBe(true);
  });
});

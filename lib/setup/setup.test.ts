import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, emailTokens, platformSettings, users } from "@/drizzle/schema";
import { systemContext } from "@/lib/http/request-context";
import { getPlatformSetting } from "@/lib/platform/settings";
import { useTestDatabase } from "@/test/db";
import { createFirstAdmin, createOrPromoteAdmin, issueSetupToken, setupTokenValid } from "./index";

const getDb = useTestDatabase();
const input = (email: string) => ({ email, name: "Olga Operator", password: "a long and unusual passphrase 42", requireStaffMfa: true });

describe("first-run setup", () => {
  it("a restart voids the previous link; a wrong token opens nothing", async () => {
    const first = await issueSetupToken();
    const second = await issueSetupToken();
    expect(first).toBeTruthy();
    expect(await setupTokenValid(first)).toBe(false);
    expect(await setupTokenValid(second)).toBe(true);
    expect(await setupTokenValid("x".repeat(43))).toBe(false);
    expect(await setupTokenValid(null)).toBe(false);
    // Only the hash is stored.
    const [row] = await getDb().db.select().from(platformSettings).where(eq(platformSettings.key, "setup_token"));
    expect(JSON.stringify(row!.value)).not.toContain(second!);
  });

  it("a weak password is refused and leaves the link usable", async () => {
    const token = await issueSetupToken();
    await expect(createFirstAdmin(token, { ...input("ops@example.com"), password: "password1234" }, systemContext())).rejects.toMatchObject({ status: 400 });
    expect(await setupTokenValid(token)).toBe(true);
  });

  it("20 simultaneous submissions of the link create exactly one admin; then setup is gone for good", async () => {
    const token = await issueSetupToken();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => createFirstAdmin(token, input(`ops${i}@example.com`), systemContext())),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ status: 404 });
    const admins = await getDb().db.select().from(users).where(eq(users.platformRole, "admin"));
    expect(admins).toHaveLength(1);
    expect(admins[0]!.emailVerifiedAt).not.toBeNull();
    expect(await getPlatformSetting("require_mfa_for_staff")).toBe(true);
    expect(await getDb().db.select().from(auditEvents).where(eq(auditEvents.action, "platform.admin_created"))).toHaveLength(1);
    // Later starts issue no link, and an old one stays dead.
    expect(await issueSetupToken()).toBeNull();
    expect(await setupTokenValid(token)).toBe(false);
  });

  it("admin:create promotes an existing user or creates one, and hands out a single-use set-password token", async () => {
    const { db } = getDb();
    await db.insert(users).values({ email: "later@example.com", name: "Later" });
    const promoted = await createOrPromoteAdmin({ email: " Later@Example.com " }, systemContext());
    expect(promoted.created).toBe(false);
    const created = await createOrPromoteAdmin({ email: "fresh@example.com", name: "Fresh" }, systemContext());
    expect(created.created).toBe(true);
    const rows = await db.select({ email: users.email, role: users.platformRole }).from(users).where(eq(users.platformRole, "admin"));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.email)).toEqual(expect.arrayContaining(["fresh@example.com", "later@example.com"]));
    const [token] = await db.select().from(emailTokens).where(eq(emailTokens.userId, created.userId));
    expect(token).toMatchObject({ purpose: "password_reset", usedAt: null });
    expect(token!.tokenHash).not.toBe(created.token);
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["platform.admin_promoted", "platform.admin_created"]));
    await expect(createOrPromoteAdmin({ email: "not-an-email" }, systemContext())).rejects.toThrow();
  });
});

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { emailTokens, mfaTotp, users } from "@/drizzle/schema";
import { decryptSecret } from "@/lib/crypto";
import { consumeBackupCode, regenerateBackupCodes } from "@/lib/mfa/backup-codes";
import { consumeTotp, currentCode, startEnrollment } from "@/lib/mfa/totp";
import { useTestDatabase } from "@/test/db";
import { issueEmailToken, redeemEmailToken } from "./email-tokens";

const getDb = useTestDatabase();
let userId: string;

beforeAll(async () => {
  const [u] = await getDb().db.insert(users).values({ email: "single@example.com" }).returning();
  userId = u!.id;
});

const twenty = <T>(fn: () => Promise<T>) => Promise.all(Array.from({ length: 20 }, fn));

describe("email tokens", () => {
  it("are stored hashed and redeemed exactly once under 20 concurrent clicks", async () => {
    const token = await getDb().db.transaction((tx) => issueEmailToken(tx, { purpose: "email_confirm", userId, email: "single@example.com" }));
    const rows = await getDb().db.select().from(emailTokens).where(eq(emailTokens.userId, userId));
    expect(JSON.stringify(rows)).not.toContain(token);
    const results = await twenty(() => redeemEmailToken(getDb().db, "email_confirm", token));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await redeemEmailToken(getDb().db, "email_confirm", token)).toBeNull();
  });

  it("refuse an expired token, a token of another purpose, and a superseded one", async () => {
    const { db } = getDb();
    const expired = await db.transaction((tx) => issueEmailToken(tx, { purpose: "password_reset", userId, email: "single@example.com" }));
    await db.update(emailTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(emailTokens.purpose, "password_reset"));
    expect(await redeemEmailToken(db, "password_reset", expired)).toBeNull();

    const magic = await db.transaction((tx) => issueEmailToken(tx, { purpose: "magic_link", userId, email: "single@example.com" }));
    expect(await redeemEmailToken(db, "password_reset", magic)).toBeNull();
    const newer = await db.transaction((tx) => issueEmailToken(tx, { purpose: "magic_link", userId, email: "single@example.com" }));
    expect(await redeemEmailToken(db, "magic_link", magic)).toBeNull(); // superseded
    expect(await redeemEmailToken(db, "magic_link", newer)).not.toBeNull();
    expect(await redeemEmailToken(db, "magic_link", "short")).toBeNull();
  });
});

describe("TOTP", () => {
  it("encrypts the secret, and accepts one code once even under 20 concurrent requests", async () => {
    const { db } = getDb();
    const enrollment = await db.transaction((tx) => startEnrollment(tx, { id: userId, email: "single@example.com" }));
    const [row] = await db.select().from(mfaTotp).where(eq(mfaTotp.userId, userId));
    expect(row!.secretEncrypted).not.toContain(enrollment.secret);
    expect(decryptSecret(row!.secretEncrypted)).toBe(enrollment.secret);
    expect(enrollment.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Gatehouse:single%40example\.com\?.*algorithm=SHA1&digits=6&period=30/);
    expect(enrollment.qrDataUrl).toMatch(/^data:image\/png;base64,/);

    expect(await consumeTotp(db, userId, "000000", { enabling: true })).toBe(false);
    const first = currentCode(enrollment.secret);
    const enabling = await twenty(() => consumeTotp(db, userId, first, { enabling: true }));
    expect(enabling.filter(Boolean)).toHaveLength(1);

    // The same step never again; the next step once.
    expect(await consumeTotp(db, userId, first)).toBe(false);
    const next = currentCode(enrollment.secret, Date.now() + 30_000);
    const verifying = await twenty(() => consumeTotp(db, userId, next));
    expect(verifying.filter(Boolean)).toHaveLength(1);
    // An older code is refused after a newer one was used.
    expect(await consumeTotp(db, userId, currentCode(enrollment.secret, Date.now() - 30_000))).toBe(false);
  });
});

describe("backup codes", () => {
  it("are ten, stored keyed-hashed, and each works once under 20 concurrent uses", async () => {
    const { db } = getDb();
    const codes = await db.transaction((tx) => regenerateBackupCodes(tx, userId));
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const results = await twenty(() => consumeBackupCode(db, userId, codes[0]!));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await consumeBackupCode(db, userId, codes[1]!.toUpperCase().replace("-", " "))).toBe(true); // forgiving format
    expect(await consumeBackupCode(db, userId, codes[1]!)).toBe(false);
    const regenerated = await db.transaction((tx) => regenerateBackupCodes(tx, userId));
    expect(await consumeBackupCode(db, userId, codes[2]!)).toBe(false); // old set is gone
    expect(await consumeBackupCode(db, userId, regenerated[0]!)).toBe(true);
  });
});

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, sessions, users } from "@/drizzle/schema";
import { sha256 } from "@/lib/crypto";
import { systemContext } from "@/lib/http/request-context";
import { useTestDatabase } from "@/test/db";
import { hashPassword, verifyPassword } from "./password";
import { seedDemo } from "@/lib/seed/demo";
import { createSession, revokeSession, signOutEverywhere, validateSession, validateSessionInOrg } from "./sessions";

const getDb = useTestDatabase();
let user: { id: string; email: string; name: string | null };

beforeAll(async () => {
  const [row] = await getDb()
    .db.insert(users)
    .values({ email: "ann@example.com", name: "Ann", passwordHash: await hashPassword("a long enough password") })
    .returning();
  user = row!;
});

const open = () => getDb().db.transaction((tx) => createSession(tx, user.id, systemContext()));

describe("sessions", () => {
  it("accepts a live session and refuses it once revoked", async () => {
    const sid = await open();
    expect(await validateSession(sid)).toMatchObject({ userId: user.id });
    await getDb().db.transaction((tx) => revokeSession(tx, sha256(sid), "test"));
    expect(await validateSession(sid)).toBeNull();
  });

  it("stores only a hash of the session id", async () => {
    const sid = await open();
    const rows = await getDb().db.select().from(sessions).where(eq(sessions.idHash, sid));
    expect(rows).toHaveLength(0);
    const hashed = await getDb().db.select().from(sessions).where(eq(sessions.idHash, sha256(sid)));
    expect(hashed).toHaveLength(1);
  });

  it("ends at the absolute lifetime and after the idle timeout", async () => {
    const expired = await open();
    await getDb().db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.idHash, sha256(expired)));
    expect(await validateSession(expired)).toBeNull();

    const idle = await open();
    await getDb()
      .db.update(sessions)
      .set({ lastSeenAt: sql`now() - interval '8 days'` })
      .where(eq(sessions.idHash, sha256(idle)));
    expect(await validateSession(idle)).toBeNull();
  });

  it("refreshes last-seen so an active session stays within the idle timeout", async () => {
    const sid = await open();
    await getDb().db.update(sessions).set({ lastSeenAt: sql`now() - interval '2 days'` }).where(eq(sessions.idHash, sha256(sid)));
    expect(await validateSession(sid)).not.toBeNull();
    const [row] = await getDb().db.select().from(sessions).where(eq(sessions.idHash, sha256(sid)));
    expect(Date.now() - row!.lastSeenAt.getTime()).toBeLessThan(60_000);
  });

  it("refuses every session of a disabled user", async () => {
    const [other] = await getDb().db.insert(users).values({ email: "bob@example.com" }).returning();
    const sid = await getDb().db.transaction((tx) => createSession(tx, other!.id, systemContext()));
    await getDb().db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, other!.id));
    expect(await validateSession(sid)).toBeNull();
  });

  it("signs out everywhere but the current session, as one audited change", async () => {
    const keep = await open();
    const others = [await open(), await open()];
    const revoked = await signOutEverywhere(user, systemContext(), { exceptIdHash: sha256(keep) });
    expect(revoked).toBeGreaterThanOrEqual(2);
    expect(await validateSession(keep)).not.toBeNull();
    for (const sid of others) expect(await validateSession(sid)).toBeNull();
    const events = await getDb().db.select().from(auditEvents).where(eq(auditEvents.action, "session.revoked_all"));
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toMatchObject({ count: revoked, keptCurrent: true });
  });
});

describe("validateSessionInOrg", () => {
  // One prepared statement serves every call: each answer must be its own session's, org's and permission's.
  it("reads the session's membership of the org and whether its role holds the permission, call by call", async () => {
    const { db } = getDb();
    await seedDemo(db);
    const sessionOf = async (email: string) => {
      const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
      return db.transaction((tx) => createSession(tx, u!.id, systemContext()));
    };
    const [admin, member] = [await sessionOf("admin@xcorp.example"), await sessionOf("member@xcorp.example")];
    const facts = async (sid: string, slug: string, permission?: string) => {
      const live = await validateSessionInOrg(sid, slug, permission);
      return live && { email: live.user.email, org: live.membership?.org.slug ?? null, role: live.membership?.role.key ?? null, allowed: live.membership?.allowed ?? null };
    };
    expect(await facts(admin, "xcorp", "audit::read")).toEqual({ email: "admin@xcorp.example", org: "xcorp", role: "admin", allowed: true });
    expect(await facts(member, "xcorp", "audit::read")).toEqual({ email: "member@xcorp.example", org: "xcorp", role: "member", allowed: false });
    expect(await facts(admin, "xcorp")).toEqual({ email: "admin@xcorp.example", org: "xcorp", role: "admin", allowed: false });
    expect(await facts(admin, "xcorp", "no::such")).toMatchObject({ allowed: false });
    // Another org, an org that does not exist: the session still, no membership.
    expect(await facts(admin, "techcorp", "audit::read")).toEqual({ email: "admin@xcorp.example", org: null, role: null, allowed: null });
    expect(await facts(member, "nowhere")).toEqual({ email: "member@xcorp.example", org: null, role: null, allowed: null });
    expect(await facts("not-a-session", "xcorp", "audit::read")).toBeNull();
    await db.transaction((tx) => revokeSession(tx, sha256(admin), "test"));
    expect(await facts(admin, "xcorp", "audit::read")).toBeNull();
    expect(await facts(member, "xcorp", "audit::read")).toMatchObject({ org: "xcorp", allowed: false });
  });
});

describe("passwords", () => {
  it("hashes with argon2id and never accepts a missing hash", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery stapler")).toBe(false);
    expect(await verifyPassword(null, "anything")).toBe(false);
  });
});

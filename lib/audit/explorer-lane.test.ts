// The direct lane answers the explorer's page (GET /api/orgs/[slug]/audit, GET /api/audit) exactly as
// the Next routes do, from a real Auth.js session cookie: same status, body and headers for a member,
// a non-member, a member without audit::read (and its access.denied event), no, broken, tampered,
// chunked and revoked session cookies, and support staff with and without an access grant. Read-ahead
// (lib/http/read-ahead.ts): a session let in lately has its page read alongside the check, and a
// session revoked, removed or refused since gets the check's answer, not the page.
import { and, eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { accessRefusals, auditEvents, memberships, orgs, roles, sessions, users } from "@/drizzle/schema";
import { grantSupportAccess } from "@/lib/audit/support-access";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { createSession, revokeSession } from "@/lib/auth/sessions";
import { sha256 } from "@/lib/crypto";
import { getEnv } from "@/lib/env";
import { systemContext } from "@/lib/http/request-context";
import { STATIC_HEADERS } from "@/lib/http/security-headers";
import { seedDemo } from "@/lib/seed/demo";
import { inBrowser, type Jar } from "@/test/browser-jar";
import { useTestDatabase } from "@/test/db";
import { startLaneServer, type LaneServer } from "@/test/lane-server";

// Under Next, the session cookie comes from `cookies()`: here, the jar of the request being answered.
vi.mock("next/headers", async () => (await import("@/test/browser-jar")).browserHeadersMock());
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));
// The order of the session check and the page read, as the routes call them (the real functions).
const calls = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/auth/sessions", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/sessions")>();
  return {
    ...real,
    validateSessionInOrg: async (...args: Parameters<typeof real.validateSessionInOrg>) => {
      calls.push("check");
      const found = await real.validateSessionInOrg(...args);
      calls.push("checked");
      return found;
    },
    validateSession: async (...args: Parameters<typeof real.validateSession>) => {
      calls.push("check");
      const found = await real.validateSession(...args);
      calls.push("checked");
      return found;
    },
  };
});
vi.mock("@/lib/audit/query", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/audit/query")>();
  return {
    ...real,
    searchAuditEvents: (...args: Parameters<typeof real.searchAuditEvents>) => {
      calls.push("read");
      return real.searchAuditEvents(...args);
    },
  };
});

const tenantRoute = await import("@/app/api/orgs/[slug]/audit/route");
const supportRoute = await import("@/app/api/audit/route");
const { laneRouteFor } = await import("@/lib/http/direct-lane");

const getDb = useTestDatabase();
const ctx = systemContext();
let lane: LaneServer;
let laneUrl: string;
let xcorpId = "";

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  xcorpId = (await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, "xcorp")))[0]!.id;
  lane = await startLaneServer();
  laneUrl = lane.url;
});
afterAll(() => lane.close());

/** A signed-in browser's cookie header for `email`: a session row and the JWE Auth.js would set. */
async function signedIn(email: string): Promise<{ cookie: string; token: string; sid: string; userId: string }> {
  const { db } = getDb();
  const [u] = await db.select().from(users).where(eq(users.email, email));
  const sid = await db.transaction((tx) => createSession(tx, u!.id, ctx));
  const name = sessionCookieName();
  const token = await encode({ token: { sub: u!.id, sid }, secret: getEnv().AUTH_SECRET, salt: name });
  return { cookie: `${name}=${token}`, token, sid, userId: u!.id };
}

function jarOf(cookie: string | undefined): Jar {
  const jar: Jar = new Map();
  for (const part of (cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) jar.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return jar;
}

type Route = typeof tenantRoute.GET;

/** The same GET answered on the lane (over HTTP) and by the Next route handler. */
async function both(route: Route, path: string, headers: Record<string, string> = {}, params: Record<string, string> = {}) {
  const viaLane = await fetch(`${laneUrl}${path}`, { headers });
  const req = new NextRequest(`http://localhost:3000${path}`, { headers: { host: "localhost:3000", ...headers } });
  const viaNext = await inBrowser(jarOf(headers.cookie), () => route(req, { params: Promise.resolve(params) }));
  return { lane: await answerOf(viaLane), next: await answerOf(viaNext) };
}

async function answerOf(res: Response) {
  return {
    status: res.status,
    body: (await res.json()) as { events?: { id: string }[]; nextCursor?: string | null; error?: { code: string } },
    type: res.headers.get("content-type"),
    cache: res.headers.get("cache-control"),
    requestId: /^[0-9a-f-]{36}$/.test(res.headers.get("x-request-id") ?? ""),
    setCookie: res.headers.getSetCookie(),
  };
}

const tenant = (query = "") => `/api/orgs/xcorp/audit${query}`;

describe("the direct lane answers the explorer as the Next routes", () => {
  it("a member with audit::read: 200 and the same page, every filter and the next page by cursor", async () => {
    const { cookie } = await signedIn("admin@xcorp.example");
    for (const query of ["", "?limit=3", "?client=Cursor&obo=john@xcorp.example&range=30d", "?action=member.*&limit=2", "?q=XCorp&outcome=success"]) {
      const { lane: a, next: b } = await both(tenantRoute.GET, tenant(query), { cookie }, { slug: "xcorp" });
      expect(a.status).toBe(200);
      expect(a.body.events!.length).toBeGreaterThan(0);
      expect(a).toEqual(b);
    }
    const first = await both(tenantRoute.GET, tenant("?limit=2"), { cookie }, { slug: "xcorp" });
    const cursor = encodeURIComponent(first.lane.body.nextCursor!);
    const second = await both(tenantRoute.GET, tenant(`?limit=2&cursor=${cursor}`), { cookie }, { slug: "xcorp" });
    expect(second.lane.body.events!.map((e) => e.id)).not.toContain(first.lane.body.events![0]!.id);
    expect(second.lane).toEqual(second.next);
  });

  it("the lane adds the static headers Next adds to every response (next.config.ts)", async () => {
    const { cookie } = await signedIn("admin@xcorp.example");
    for (const path of [tenant(), "/api/orgs/techcorp/audit", "/api/audit"]) {
      const res = await fetch(`${laneUrl}${path}`, { headers: { cookie } });
      for (const { key, value } of STATIC_HEADERS) expect(res.headers.get(key)).toBe(value);
    }
  });

  it("a bad filter: the same 400", async () => {
    const { cookie } = await signedIn("admin@xcorp.example");
    const { lane: a, next: b } = await both(tenantRoute.GET, tenant("?action=DROP%20TABLE"), { cookie }, { slug: "xcorp" });
    expect(a.status).toBe(400);
    expect(a).toEqual(b);
  });

  it("a non-member: 404, as if the org did not exist", async () => {
    const { cookie } = await signedIn("admin@techcorp.example");
    const { lane: a, next: b } = await both(tenantRoute.GET, tenant(), { cookie }, { slug: "xcorp" });
    expect(a.status).toBe(404);
    expect(a).toEqual(b);
  });

  it("an org that does not exist: 404, as for a non-member", async () => {
    const { cookie } = await signedIn("admin@xcorp.example");
    const { lane: a, next: b } = await both(tenantRoute.GET, "/api/orgs/no-such-org/audit", { cookie }, { slug: "no-such-org" });
    expect(a.status).toBe(404);
    expect(a.body).toEqual(b.body);
    expect(a).toEqual(b);
  });

  it("a member without audit::read: 403, and the refusal in the org's log (access.denied)", async () => {
    const { cookie, userId } = await signedIn("john@xcorp.example");
    const { db } = getDb();
    const denied = () => db.select().from(auditEvents).where(and(eq(auditEvents.orgId, xcorpId), eq(auditEvents.action, "access.denied"), eq(auditEvents.actorId, userId)));
    expect(await denied()).toHaveLength(0);
    const { lane: a, next: b } = await both(tenantRoute.GET, tenant(), { cookie }, { slug: "xcorp" });
    expect(a.status).toBe(403);
    expect(a).toEqual(b);
    // One event for the minute (the lane's), both refusals counted.
    const events = await denied();
    expect(events).toHaveLength(1);
    expect(events[0]!.targetId).toBe("GET /api/orgs/[slug]/audit");
    const [count] = await db.select({ n: accessRefusals.count }).from(accessRefusals).where(and(eq(accessRefusals.orgId, xcorpId), eq(accessRefusals.actorKey, `user:${userId}`)));
    expect(count!.n).toBe(2);
  });

  it.each([
    ["no session cookie", async () => ""],
    ["a cookie that is no token", async () => `${sessionCookieName()}=not-a-token`],
    ["a tampered token", async () => {
      const { token } = await signedIn("admin@xcorp.example");
      const i = token.length - 10;
      return `${sessionCookieName()}=${token.slice(0, i)}${token[i] === "A" ? "B" : "A"}${token.slice(i + 1)}`;
    }],
    ["a token sealed with another secret", async () => {
      const { userId, sid } = await signedIn("admin@xcorp.example");
      const name = sessionCookieName();
      return `${name}=${await encode({ token: { sub: userId, sid }, secret: "x".repeat(48), salt: name })}`;
    }],
    ["a token for another cookie name", async () => {
      const { userId, sid } = await signedIn("admin@xcorp.example");
      return `${sessionCookieName()}=${await encode({ token: { sub: userId, sid }, secret: getEnv().AUTH_SECRET, salt: "authjs.other" })}`;
    }],
    ["a token whose session id names no session", async () => {
      const { userId } = await signedIn("admin@xcorp.example");
      const name = sessionCookieName();
      return `${name}=${await encode({ token: { sub: userId, sid: "nope" }, secret: getEnv().AUTH_SECRET, salt: name })}`;
    }],
    ["a token naming another user than its session's", async () => {
      const { sid } = await signedIn("admin@xcorp.example");
      const { userId } = await signedIn("owner@xcorp.example");
      const name = sessionCookieName();
      return `${name}=${await encode({ token: { sub: userId, sid }, secret: getEnv().AUTH_SECRET, salt: name })}`;
    }],
    ["a revoked session", async () => {
      const { cookie, sid } = await signedIn("admin@xcorp.example");
      await getDb().db.transaction((tx) => revokeSession(tx, sha256(sid), "signed_out"));
      return cookie;
    }],
    ["a session past its absolute lifetime", async () => {
      const { cookie, sid } = await signedIn("admin@xcorp.example");
      await getDb().db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.idHash, sha256(sid)));
      return cookie;
    }],
    ["a session idle past the timeout", async () => {
      const { cookie, sid } = await signedIn("admin@xcorp.example");
      const idle = new Date(Date.now() - (getEnv().SESSION_IDLE_TIMEOUT_SECONDS + 1) * 1000);
      await getDb().db.update(sessions).set({ lastSeenAt: idle }).where(eq(sessions.idHash, sha256(sid)));
      return cookie;
    }],
    ["a disabled user", async () => {
      const { cookie } = await signedIn("member@xcorp.example");
      await getDb().db.update(users).set({ disabledAt: new Date() }).where(eq(users.email, "member@xcorp.example"));
      return cookie;
    }],
  ])("%s: 401", async (_, make) => {
    const cookie = await make();
    const { lane: a, next: b } = await both(tenantRoute.GET, tenant(), cookie ? { cookie } : {}, { slug: "xcorp" });
    expect(a.status).toBe(401);
    expect(a).toEqual(b);
  });

  it("a session used more than a minute ago: answered, and its last use moved to now", async () => {
    const { cookie, sid } = await signedIn("admin@xcorp.example");
    const { db } = getDb();
    const lastSeen = async () => (await db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.idHash, sha256(sid))))[0]!.at.getTime();
    await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 5 * 60_000) }).where(eq(sessions.idHash, sha256(sid)));
    const before = Date.now();
    // On the lane (asked first): the touch is the session check's, in its own statement as before.
    const { lane: a, next: b } = await both(tenantRoute.GET, tenant("?limit=1"), { cookie }, { slug: "xcorp" });
    expect(a.status).toBe(200);
    expect(a).toEqual(b);
    expect(await lastSeen()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("a session cookie in chunks (name.0, name.1) reads as Auth.js joins it", async () => {
    const { token } = await signedIn("admin@xcorp.example");
    const name = sessionCookieName();
    const cookie = `${name}.1=${token.slice(100)}; ${name}.0=${token.slice(0, 100)}`;
    const { lane: a, next: b } = await both(tenantRoute.GET, tenant(), { cookie }, { slug: "xcorp" });
    expect(a.status).toBe(200);
    expect(a).toEqual(b);
  });

  it("support staff: 200 with an access grant (its org or all orgs), 403 without, 404 for anyone else", async () => {
    const staff = await signedIn("support@gatehouse.example");
    const [u] = await getDb().db.select().from(users).where(eq(users.id, staff.userId));
    const user = { id: u!.id, email: u!.email, name: u!.name, platformRole: u!.platformRole, emailVerified: true, sessionIdHash: sha256(staff.sid) };
    for (const orgSlug of ["xcorp", null]) {
      const { token } = await grantSupportAccess({ user, orgSlug, reason: "TICKET-14", context: ctx });
      const { lane: a, next: b } = await both(supportRoute.GET, "/api/audit?limit=5", { cookie: staff.cookie, "x-audit-access": token });
      expect(a.status).toBe(200);
      expect(a.body.events).toHaveLength(5);
      expect(a).toEqual(b);
    }
    const without = await both(supportRoute.GET, "/api/audit", { cookie: staff.cookie });
    expect(without.lane.status).toBe(403);
    expect(without.lane).toEqual(without.next);
    const member = await signedIn("admin@xcorp.example");
    const notStaff = await both(supportRoute.GET, "/api/audit", { cookie: member.cookie });
    expect(notStaff.lane.status).toBe(404);
    expect(notStaff.lane).toEqual(notStaff.next);
  });

  it("only these GETs take the lane: other methods, paths and a trailing slash go to Next", () => {
    const at = (method: string, url: string) => laneRouteFor({ method, url } as Parameters<typeof laneRouteFor>[0])?.path ?? null;
    expect(at("GET", "/api/orgs/xcorp/audit?limit=5")).toBe("/api/orgs/[slug]/audit");
    expect(at("GET", "/api/audit")).toBe("/api/audit");
    expect(at("POST", "/api/orgs/xcorp/audit")).toBeNull();
    expect(at("GET", "/api/orgs/xcorp/audit/summary")).toBeNull();
    expect(at("GET", "/api/orgs/xcorp/audit/")).toBeNull();
    expect(at("GET", "/api/orgs//audit")).toBeNull();
    expect(at("GET", "/api/orgs/../audit")).toBeNull();
  });
});

describe("read-ahead: a session let in lately has its page read alongside the check", () => {
  /** The lane's answer to `path` and the order of the check and the read(s) behind it. */
  async function ask(path: string, headers: Record<string, string>) {
    calls.length = 0;
    const res = await fetch(`${laneUrl}${path}`, { headers });
    const body = (await res.json()) as { events?: { id: string }[]; error?: { code: string } };
    return { status: res.status, body, calls: [...calls] };
  }
  const readAhead = (c: string[]) => c.indexOf("read") >= 0 && c.indexOf("read") < c.indexOf("checked");
  const setRole = async (email: string, key: string) => {
    const { db } = getDb();
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const [r] = await db.select({ id: roles.id }).from(roles).where(eq(roles.key, key));
    await db.update(memberships).set({ roleId: r!.id }).where(and(eq(memberships.userId, u!.id), eq(memberships.orgId, xcorpId)));
  };

  it("the first request reads after its check; the next reads alongside it, with the same page as Next answers", async () => {
    const { cookie } = await signedIn("admin@xcorp.example");
    const first = await ask(tenant("?limit=3"), { cookie });
    expect(first.status).toBe(200);
    expect(first.calls).toEqual(["check", "checked", "read"]);
    const second = await ask(tenant("?limit=3"), { cookie });
    expect(second.status).toBe(200);
    expect(readAhead(second.calls)).toBe(true);
    expect(second.calls.filter((c) => c === "read")).toHaveLength(1);
    const { lane: a, next: b } = await both(tenantRoute.GET, tenant("?limit=3"), { cookie }, { slug: "xcorp" });
    expect(a).toEqual(b);
    expect(a.body.events!.map((e) => e.id)).toEqual(second.body.events!.map((e) => e.id));
    // Another org, or the same org with another permission, is another admission: read after the check.
    const other = await ask("/api/orgs/techcorp/audit", { cookie });
    expect(other.status).toBe(404);
    expect(other.calls).toEqual(["check", "checked"]);
  });

  it("a session revoked since: 401, though its page was read ahead; then no more reads ahead", async () => {
    const { cookie, sid } = await signedIn("admin@xcorp.example");
    expect((await ask(tenant(), { cookie })).status).toBe(200);
    await getDb().db.transaction((tx) => revokeSession(tx, sha256(sid), "signed_out"));
    const revoked = await ask(tenant(), { cookie });
    expect(revoked.status).toBe(401);
    expect(revoked.body.events).toBeUndefined();
    expect(readAhead(revoked.calls)).toBe(true);
    const again = await ask(tenant(), { cookie });
    expect(again.status).toBe(401);
    expect(again.calls).toEqual(["check", "checked"]);
  });

  it("a member whose role lost audit::read since: 403 and its access.denied event; removed from the org: 404", async () => {
    const { db } = getDb();
    const [admin] = await db.select({ id: roles.id }).from(roles).where(eq(roles.key, "admin"));
    const [fresh] = await db.insert(users).values({ email: "readahead@xcorp.example", name: "Read Ahead" }).returning({ id: users.id });
    await db.insert(memberships).values({ orgId: xcorpId, userId: fresh!.id, roleId: admin!.id });
    const { cookie, userId } = await signedIn("readahead@xcorp.example");
    expect((await ask(tenant(), { cookie })).status).toBe(200);
    await setRole("readahead@xcorp.example", "member");
    const refused = await ask(tenant(), { cookie });
    expect(refused.status).toBe(403);
    expect(refused.body.events).toBeUndefined();
    expect(readAhead(refused.calls)).toBe(true);
    const denied = await db.select().from(auditEvents).where(and(eq(auditEvents.orgId, xcorpId), eq(auditEvents.action, "access.denied"), eq(auditEvents.actorId, userId)));
    expect(denied).toHaveLength(1);

    await setRole("readahead@xcorp.example", "admin");
    expect((await ask(tenant(), { cookie })).status).toBe(200);
    await db.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.orgId, xcorpId)));
    const removed = await ask(tenant(), { cookie });
    expect(removed.status).toBe(404);
    expect(removed.body.events).toBeUndefined();
    expect(readAhead(removed.calls)).toBe(true);
  });

  it("a member let in again with another role: the page read ahead is dropped and read again", async () => {
    const { cookie } = await signedIn("owner@xcorp.example");
    expect((await ask(tenant("?limit=2"), { cookie })).status).toBe(200);
    await setRole("owner@xcorp.example", "admin");
    try {
      const changed = await ask(tenant("?limit=2"), { cookie });
      expect(changed.status).toBe(200);
      expect(readAhead(changed.calls)).toBe(true);
      expect(changed.calls.filter((c) => c === "read")).toHaveLength(2);
      expect(changed.calls.at(-1)).toBe("read");
    } finally {
      await setRole("owner@xcorp.example", "owner");
    }
  });

  it("never for a write: a POST handler that asks for read-ahead still runs only after its check", async () => {
    const { withOrg, json } = await import("@/lib/http/route");
    const write = withOrg(
      async () => {
        calls.push("write");
        return json({ ok: true });
      },
      { permission: "audit::read", readAhead: true },
    );
    const { cookie } = await signedIn("admin@xcorp.example");
    const post = () =>
      inBrowser(jarOf(cookie), () =>
        write(new NextRequest("http://localhost:3000/api/orgs/xcorp/audit", { method: "POST", headers: { host: "localhost:3000", origin: "http://localhost:3000", cookie } }), { params: Promise.resolve({ slug: "xcorp" }) }),
      );
    for (let i = 0; i < 3; i++) {
      calls.length = 0;
      expect((await post()).status).toBe(200);
      expect(calls).toEqual(["check", "checked", "write"]);
    }
  });

  it("support staff: the page read alongside the check for the same grant, and a grant for another org is read after it", async () => {
    const staff = await signedIn("support@gatehouse.example");
    const [u] = await getDb().db.select().from(users).where(eq(users.id, staff.userId));
    const user = { id: u!.id, email: u!.email, name: u!.name, platformRole: u!.platformRole, emailVerified: true, sessionIdHash: sha256(staff.sid) };
    const { token } = await grantSupportAccess({ user, orgSlug: "xcorp", reason: "TICKET-15", context: ctx });
    const headers = { cookie: staff.cookie, "x-audit-access": token };
    expect((await ask("/api/audit?limit=2", headers)).calls).toEqual(["check", "checked", "read"]);
    const second = await ask("/api/audit?limit=2", headers);
    expect(second.status).toBe(200);
    expect(readAhead(second.calls)).toBe(true);
    const other = await grantSupportAccess({ user, orgSlug: null, reason: "TICKET-16", context: ctx });
    expect((await ask("/api/audit?limit=2", { ...headers, "x-audit-access": other.token })).calls).toEqual(["check", "checked", "read"]);
    await getDb().db.transaction((tx) => revokeSession(tx, sha256(staff.sid), "signed_out"));
    const revoked = await ask("/api/audit?limit=2", headers);
    expect(revoked.status).toBe(401);
    expect(readAhead(revoked.calls)).toBe(true);
  });
});

// The issue 18 story on a real database (PGlite, or the server of DATABASE_URL): a product backend
// validates personal and org API keys on each of its requests through the Node client.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiKeys, auditEvents, memberships, roleMappings, roles, userApiKeys, users } from "@/drizzle/schema";
import { createGatehouseClient, type GatehouseClient } from "@/packages/node/src";
import { createApiKey } from "@/lib/api-keys";
import { systemContext } from "@/lib/http/request-context";
import { subscribeOrg } from "@/lib/plans/mappings";
import { setPlatformSetting } from "@/lib/platform/settings";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { call, orgBySlug, userByEmail } from "@/test/oauth";
import { createOrgApiKey, createPersonalApiKey } from "./create";
import { listOrgApiKeys, listPersonalApiKeys } from "./list";
import { revokeUserApiKey } from "./revoke";
import { createUserApiKeySchema } from "./schema";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const { POST: validateRoute } = await import("@/app/api/v1/api-keys/validate/route");
const { GET: usersRoute } = await import("@/app/api/v1/users/route");
const { GET: checkRoute } = await import("@/app/api/v1/check/route");

const getDb = useTestDatabase();
const ctx = systemContext();
const input = (over: Record<string, unknown>) => createUserApiKeySchema.parse({ name: "Key", expiresInDays: 30, ...over });

/** The Gatehouse routes, reached in process through the client's `fetch` option. */
const ROUTES = { "POST /api/v1/api-keys/validate": validateRoute, "GET /api/v1/users": usersRoute, "GET /api/v1/check": checkRoute } as const;
const inProcessFetch = (async (url: string | URL, init?: RequestInit) => {
  const u = new URL(String(url));
  const handler = ROUTES[`${init?.method ?? "GET"} ${u.pathname}` as keyof typeof ROUTES];
  if (!handler) return new Response("{}", { status: 404 });
  return call(handler, `${u.pathname}${u.search}`, init ?? {});
}) as typeof fetch;

let gatehouse: GatehouseClient;
let backend: Server;
let backendUrl: string;

/**
 * The product's backend: every request carries the customer's key in X-Api-Key; the backend asks
 * Gatehouse (one round trip) and answers 401 / 429 (passing Retry-After on) / 403 / 200.
 */
function startBackend(): Promise<void> {
  backend = createServer(async (req, res) => {
    const need = req.url === "/reports/export" ? "reports::export" : req.url === "/reports" ? "reports::read" : undefined;
    const v = await gatehouse.validateApiKey(String(req.headers["x-api-key"] ?? ""), { permission: need });
    if (!v.valid) return void res.writeHead(401).end(v.reason);
    if (!v.rateLimit.allowed) return void res.writeHead(429, { "retry-after": String(v.rateLimit.retryAfterSeconds) }).end();
    if (need && !v.permission?.granted) return void res.writeHead(403).end(need);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ who: v.key.user?.email ?? v.key.org?.slug, plan: v.key.plan }));
  });
  return new Promise((resolve) => backend.listen(0, "127.0.0.1", resolve));
}
const get = (path: string, key: string) => fetch(`${backendUrl}${path}`, { headers: { "x-api-key": key } });

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  const staff = await userByEmail(db, "admin@gatehouse.example");
  const platformKey = await createApiKey(staff, { name: "Product backend" }, ctx);
  gatehouse = createGatehouseClient({ baseUrl: "http://localhost:3000", apiKey: platformKey.key, fetch: inProcessFetch });
  await startBackend();
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}, 60_000);

afterAll(() => new Promise<void>((resolve) => backend.close(() => resolve())));

describe("personal API keys", () => {
  it("a user's key works at the backend until its limit (429 + Retry-After), is counted not logged per use, and fails once revoked", async () => {
    const { db } = getDb();
    const john = await userByEmail(db, "john@xcorp.example");
    const created = await createPersonalApiKey(john, input({ name: "My script", rateLimitPerMinute: 3 }), ctx);
    expect(created.key).toMatch(/^ghk_live_[A-Za-z0-9_-]{43}$/);
    const [stored] = await db.select().from(userApiKeys).where(eq(userApiKeys.id, created.id));
    expect(stored!.keyHash).not.toContain(created.key.slice(9));
    expect(stored!.keyHash).toMatch(/^[0-9a-f]{64}$/);

    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await get("/me", created.key));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(await statuses[0]!.json()).toEqual({ who: "john@xcorp.example", plan: null });
    expect(Number(statuses[3]!.headers.get("retry-after"))).toBeGreaterThan(0);

    const [listed] = await listPersonalApiKeys(john.id);
    expect(listed).toMatchObject({ id: created.id, useCount: 4, revokedAt: null });
    expect(listed!.lastUsedAt).toBeInstanceOf(Date);
    expect(listed).not.toHaveProperty("keyHash");

    await revokeUserApiKey(john, { userId: john.id }, created.id, ctx);
    const after = await get("/me", created.key);
    expect(after.status).toBe(401);
    expect(await after.text()).toBe("revoked");

    const events = await db.select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.targetId, created.id));
    expect(events.map((e) => e.action).sort()).toEqual(["api_key.created", "api_key.revoked", "api_key.use_refused", "api_key.use_refused"]);
    expect(events.filter((e) => e.action === "api_key.use_refused").map((e) => (e.metadata as { reason: string }).reason).sort()).toEqual(["rate_limited", "revoked"]);
  });

  it("another user cannot revoke it (404), an expired key is refused, unknown keys and a missing platform key are told apart", async () => {
    const { db } = getDb();
    const john = await userByEmail(db, "john@xcorp.example");
    const member = await userByEmail(db, "member@xcorp.example");
    const created = await createPersonalApiKey(john, input({ name: "Old one", mode: "test" }), ctx);
    expect(created.key.startsWith("ghk_test_")).toBe(true);
    await expect(revokeUserApiKey(member, { userId: member.id }, created.id, ctx)).rejects.toMatchObject({ status: 404 });
    await db.update(userApiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(userApiKeys.id, created.id));
    expect(await gatehouse.validateApiKey(created.key)).toMatchObject({ valid: false, reason: "expired" });
    expect(await gatehouse.validateApiKey("ghk_live_nope")).toMatchObject({ valid: false, reason: "unknown" });
    const anonymous = createGatehouseClient({ baseUrl: "http://localhost:3000", apiKey: "ghk_wrong", fetch: inProcessFetch });
    await expect(anonymous.validateApiKey(created.key)).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
    const bad = await call(validateRoute, "/api/v1/api-keys/validate", { method: "POST", headers: { authorization: "Bearer x" }, body: "{" });
    expect(bad.status).toBe(401);
  });

  it("platform switches: personal keys off → creation refused (403) and existing keys refused; keys must expire when no-expiry is off", async () => {
    const { db } = getDb();
    const john = await userByEmail(db, "john@xcorp.example");
    const created = await createPersonalApiKey(john, input({ name: "Before the switch", expiresInDays: null }), ctx);
    await db.transaction((tx) => setPlatformSetting(tx, "personal_api_keys", false));
    try {
      expect(await gatehouse.validateApiKey(created.key)).toMatchObject({ valid: false, reason: "disabled" });
      await expect(createPersonalApiKey(john, input({}), ctx)).rejects.toMatchObject({ status: 403, code: "personal_api_keys_disabled" });
    } finally {
      await db.transaction((tx) => setPlatformSetting(tx, "personal_api_keys", true));
    }
    expect(await gatehouse.validateApiKey(created.key)).toMatchObject({ valid: true });
    await db.transaction((tx) => setPlatformSetting(tx, "api_keys_allow_no_expiry", false));
    try {
      await expect(createPersonalApiKey(john, input({ expiresInDays: null }), ctx)).rejects.toMatchObject({ status: 400 });
    } finally {
      await db.transaction((tx) => setPlatformSetting(tx, "api_keys_allow_no_expiry", true));
    }
  });

  it("a personal key acting in an org carries the user's role there, and is refused once the membership ends", async () => {
    const { db } = getDb();
    const [u] = await db.insert(users).values({ email: `leaver-${Date.now()}@xcorp.example`, name: "Leaver" }).returning();
    const xcorp = await orgBySlug(db, "xcorp");
    const [memberRole] = await db.select().from(roles).where(eq(roles.key, "member"));
    await db.insert(memberships).values({ orgId: xcorp.id, userId: u!.id, roleId: memberRole!.id });
    const leaver = { id: u!.id, email: u!.email, name: u!.name };
    await expect(createPersonalApiKey(leaver, input({ org: "xcorp", permissions: ["billing::manage"] }), ctx)).rejects.toMatchObject({ status: 403 });
    await expect(createPersonalApiKey(leaver, input({ permissions: ["reports::read"] }), ctx)).rejects.toMatchObject({ status: 400 });
    const key = await createPersonalApiKey(leaver, input({ org: "xcorp" }), ctx);
    expect(await gatehouse.validateApiKey(key.key, { permission: "reports::read" })).toMatchObject({
      valid: true,
      key: { type: "personal", user: { id: u!.id }, org: { slug: "xcorp" }, role: { key: "member" } },
      permission: { id: "reports::read", granted: true },
    });
    await db.delete(memberships).where(and(eq(memberships.orgId, xcorp.id), eq(memberships.userId, u!.id)));
    expect(await gatehouse.validateApiKey(key.key)).toMatchObject({ valid: false, reason: "membership_ended" });
    // The platform key that asked was marked used.
    const [platform] = await db.select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys);
    expect(platform!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("a new key takes the platform's default limit", async () => {
    const { db } = getDb();
    const john = await userByEmail(db, "john@xcorp.example");
    await db.transaction((tx) => setPlatformSetting(tx, "api_key_default_rate_limit", 7));
    const created = await createPersonalApiKey(john, input({ name: "Default limit" }), ctx);
    expect(created.rateLimitPerMinute).toBe(7);
    const v = await gatehouse.validateApiKey(created.key);
    expect(v).toMatchObject({ valid: true, rateLimit: { allowed: true, limit: 7, remaining: 6 } });
  });
});

describe("org API keys", () => {
  it("an org key limited to reports::read cannot reports::export, and loses reports::read at the next validation after a plan change", async () => {
    const { db } = getDb();
    const admin = await userByEmail(db, "admin@xcorp.example");
    const staff = await userByEmail(db, "admin@gatehouse.example");
    const xcorp = await orgBySlug(db, "xcorp");
    const key = await createOrgApiKey(admin, xcorp, input({ name: "Reporting", permissions: ["reports::read"] }), ctx);

    expect((await get("/reports", key.key)).status).toBe(200);
    expect((await get("/reports/export", key.key)).status).toBe(403);
    const v = await gatehouse.validateApiKey(key.key);
    expect(v).toMatchObject({ valid: true, key: { type: "org", user: null, org: { slug: "xcorp" }, role: { key: "admin" }, plan: "Enterprise", permissions: ["reports::read"] } });

    // A plan where admins cannot read reports.
    const [bare] = await db.insert(roleMappings).values({ name: "No reports", description: "test" }).returning();
    await subscribeOrg(staff, "xcorp", bare!.id, ctx);
    expect((await get("/reports", key.key)).status).toBe(403);
    expect(await gatehouse.validateApiKey(key.key)).toMatchObject({ valid: true, key: { plan: "No reports", permissions: [] } });

    const [listed] = await listOrgApiKeys(xcorp.id);
    expect(listed).toMatchObject({ id: key.id, permissions: ["reports::read"], createdBy: "admin@xcorp.example" });
  });

  it("never exceeds its creator: a permission the admin lacks is refused (403); a member without api_keys::manage cannot create one", async () => {
    const { db } = getDb();
    const admin = await userByEmail(db, "admin@techcorp.example");
    const member = await userByEmail(db, "member@techcorp.example");
    const techcorp = await orgBySlug(db, "techcorp");
    await expect(createOrgApiKey(admin, techcorp, input({ permissions: ["billing::manage"] }), ctx)).rejects.toMatchObject({ status: 403 });
    await expect(createOrgApiKey(member, techcorp, input({}), ctx)).rejects.toMatchObject({ status: 403 });
    const ok = await createOrgApiKey(admin, techcorp, input({ name: "All of mine" }), ctx);
    const v = await gatehouse.validateApiKey(ok.key);
    expect(v).toMatchObject({ valid: true, key: { org: { slug: "techcorp" }, plan: "Free" } });
    expect(v.valid && v.key.permissions).toContain("api_keys::manage");
    // An org key is revoked through its org only.
    await expect(revokeUserApiKey(admin, { userId: admin.id }, ok.id, ctx)).rejects.toMatchObject({ status: 404 });
    await revokeUserApiKey(admin, { orgId: techcorp.id }, ok.id, ctx);
    expect(await gatehouse.validateApiKey(ok.key)).toMatchObject({ valid: false, reason: "revoked" });
  });

  it("getUser and checkPermission through the same client", async () => {
    const found = await gatehouse.getUser("john@xcorp.example");
    expect(found?.user.email).toBe("john@xcorp.example");
    expect(await gatehouse.getUser("nobody@nowhere.example")).toBeNull();
    expect(await gatehouse.checkPermission({ user: "owner@techcorp.example", org: "techcorp", permission: "org::manage" })).toBe(true);
    expect(await gatehouse.checkPermission({ user: "member@techcorp.example", org: "techcorp", permission: "org::manage" })).toBe(false);
  });
});

describe("atomic limits", () => {
  it("50 parallel validations of a key limited to 10/min → exactly 10 allowed, 40 refused with Retry-After, one refusal event", async () => {
    const { db } = getDb();
    const owner = await userByEmail(db, "owner@xcorp.example");
    const key = await createPersonalApiKey(owner, input({ name: "Busy", rateLimitPerMinute: 10 }), ctx);
    const results = await Promise.all(Array.from({ length: 50 }, () => gatehouse.validateApiKey(key.key)));
    const allowed = results.filter((r) => r.valid && r.rateLimit.allowed);
    expect(allowed).toHaveLength(10);
    expect(results.filter((r) => r.valid && !r.rateLimit.allowed)).toHaveLength(40);
    const [row] = await db.select({ useCount: userApiKeys.useCount }).from(userApiKeys).where(eq(userApiKeys.id, key.id));
    expect(row!.useCount).toBe(50);
    const refusals = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, key.id), eq(auditEvents.action, "api_key.use_refused")));
    expect(refusals).toHaveLength(1);
  }, 30_000);
});

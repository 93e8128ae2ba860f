// API key validation in one statement (fast-validate.ts) answers exactly as the general path does
// (the platform key, then the key, each its own statement): the same status, body, headers, counts
// and audit events over the table of refusals, and the direct lane answers as the Next route does.
// PGlite serializes everything: the parallel cases mean most on the PostgreSQL server (DATABASE_URL).
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiKeys, auditEvents, memberships, rateLimitBuckets, roleMappings, roles, userApiKeys, users } from "@/drizzle/schema";
import { createApiKey, revokeApiKey } from "@/lib/api-keys";
import { getEnv } from "@/lib/env";
import { systemContext } from "@/lib/http/request-context";
import { subscribeOrg } from "@/lib/plans/mappings";
import { setPlatformSetting } from "@/lib/platform/settings";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { startLaneServer, type LaneServer } from "@/test/lane-server";
import { call, orgBySlug, userByEmail } from "@/test/oauth";
import { createOrgApiKey, createPersonalApiKey } from "./create";
import type { FastValidation } from "./fast-validate";
import { revokeUserApiKey } from "./revoke";
import { createUserApiKeySchema } from "./schema";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

/** The fast path switched on or off (off: the route takes the general path, as before it existed), and what it answered. */
const fast = { on: true, paths: [] as FastValidation["path"][] };
vi.mock("./fast-validate", async (importOriginal) => {
  const real = await importOriginal<typeof import("./fast-validate")>();
  return {
    ...real,
    fastValidate: async (...args: Parameters<typeof real.fastValidate>): Promise<FastValidation> => {
      if (!fast.on) return { path: "general" };
      const out = await real.fastValidate(...args);
      fast.paths.push(out.path);
      return out;
    },
  };
});

const { POST: validateRoute } = await import("@/app/api/v1/api-keys/validate/route");

const getDb = useTestDatabase();
const ctx = systemContext();
const input = (over: Record<string, unknown>) => createUserApiKeySchema.parse({ name: "Key", expiresInDays: 30, ...over });
const PATH = "/api/v1/api-keys/validate";

type Staff = Awaited<ReturnType<typeof userByEmail>>;
let staff: Staff;

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  staff = await userByEmail(db, "admin@gatehouse.example");
});

interface Setup {
  platformKey: string;
  platformId: string;
  /** The body sent (a personal or org key and maybe a permission), or a raw body. */
  body: Record<string, unknown> | string;
  contentType?: string;
  authorization?: string;
  keyId?: string;
}

/** A fresh platform key (its own bucket), and the key of the case made by `make`. */
async function setup(make: (platform: { key: string; id: string }) => Promise<Omit<Setup, "platformKey" | "platformId">>): Promise<Setup> {
  const platform = await createApiKey(staff, { name: "Backend" }, ctx);
  return { platformKey: platform.key, platformId: platform.id, ...(await make({ key: platform.key, id: platform.id })) };
}

const post = (s: Setup) =>
  call(validateRoute, PATH, {
    method: "POST",
    headers: { authorization: s.authorization ?? `Bearer ${s.platformKey}`, "content-type": s.contentType ?? "application/json" },
    body: typeof s.body === "string" ? s.body : JSON.stringify(s.body),
  });

/** An answer with what varies between two equal runs (ids, times, seconds left) masked. */
async function answerOf(res: Response) {
  const mask = (text: string) =>
    text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>")
      .replace(/"reset":\d+/g, '"reset":"<unix>"')
      .replace(/in \d+ seconds/g, "in N seconds")
      .replace(/"retryAfterSeconds":(\d+)/g, (_, n) => `"retryAfterSeconds":${Number(n) > 0 && Number(n) <= 60 ? '"1..60"' : n}`);
  const seconds = (v: string | null) => (v === null ? null : Number(v) > 0 && Number(v) <= 60 ? "1..60" : v);
  return {
    status: res.status,
    body: mask(await res.text()),
    type: res.headers.get("content-type"),
    cache: res.headers.get("cache-control"),
    requestId: /^[0-9a-f-]{36}$/.test(res.headers.get("x-request-id") ?? ""),
    limit: res.headers.get("ratelimit-limit"),
    remaining: res.headers.get("ratelimit-remaining"),
    reset: seconds(res.headers.get("ratelimit-reset")),
    retryAfter: seconds(res.headers.get("retry-after")),
  };
}

/** What the calls left in the database: the key's use count and last use, both buckets, the audit events. */
async function traces(s: Setup) {
  const { db } = getDb();
  const bucket = async (key: string) => (await db.select({ hits: rateLimitBuckets.hits }).from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key)))[0]?.hits ?? 0;
  const [platform] = await db.select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, s.platformId));
  const out: Record<string, unknown> = { platformBucket: await bucket(`api_key_validate:${s.platformId}`), platformUsed: platform!.lastUsedAt !== null };
  if (s.keyId) {
    const [key] = await db.select().from(userApiKeys).where(eq(userApiKeys.id, s.keyId));
    const events = await db.select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.targetId, s.keyId));
    Object.assign(out, {
      useCount: key!.useCount,
      lastUsed: key!.lastUsedAt !== null,
      keyBucket: await bucket(`user_api_key:${s.keyId}`),
      events: events.map((e) => `${e.action}:${(e.metadata as { reason?: string }).reason ?? ""}`).sort(),
    });
  }
  return out;
}

/** Run the case's calls with the fast path on, then on a fresh copy with it off: the same answers and traces. */
async function samePaths(make: Parameters<typeof setup>[0], calls = 1) {
  const runs = [];
  for (const on of [true, false]) {
    fast.on = on;
    fast.paths = [];
    const s = await setup(make);
    const answers = [];
    for (let i = 0; i < calls; i++) answers.push(await answerOf(await post(s)));
    runs.push({ answers, traces: await traces(s), paths: fast.paths });
  }
  fast.on = true;
  const [withFast, general] = runs;
  expect(withFast!.answers).toEqual(general!.answers);
  expect(withFast!.traces).toEqual(general!.traces);
  return { answers: withFast!.answers, traces: withFast!.traces, paths: withFast!.paths };
}

async function john() {
  return userByEmail(getDb().db, "john@xcorp.example");
}

async function personal(over: Record<string, unknown> = {}) {
  return createPersonalApiKey(await john(), input(over), ctx);
}

/** A user of their own (a member of xcorp), for cases that disable the user or end the membership. */
async function freshMember() {
  const { db } = getDb();
  const [u] = await db.insert(users).values({ email: `m-${crypto.randomUUID()}@xcorp.example`, name: "Member" }).returning();
  const xcorp = await orgBySlug(db, "xcorp");
  const [memberRole] = await db.select().from(roles).where(eq(roles.key, "member"));
  await db.insert(memberships).values({ orgId: xcorp.id, userId: u!.id, roleId: memberRole!.id });
  return { user: { id: u!.id, email: u!.email, name: u!.name }, orgId: xcorp.id };
}

describe("the one-statement path answers as the general path", () => {
  it("a valid personal key: 200 with the facts and RateLimit-* headers, counted once, answered in one statement", async () => {
    const r = await samePaths(async () => {
      const k = await personal({ rateLimitPerMinute: 5 });
      return { body: { apiKey: k.key }, keyId: k.id };
    }, 2);
    expect(r.paths).toEqual(["fast", "fast"]);
    expect(r.answers[1]).toMatchObject({ status: 200, limit: "5", remaining: "3", reset: "1..60", retryAfter: null, requestId: true, cache: "no-store" });
    expect(JSON.parse(r.answers[1]!.body)).toMatchObject({ valid: true, key: { type: "personal", user: { email: "john@xcorp.example" } }, rateLimit: { allowed: true, remaining: 3 } });
    expect(r.traces).toMatchObject({ useCount: 2, lastUsed: true, keyBucket: 2, platformBucket: 2, platformUsed: true, events: ["api_key.created:"] });
  });

  it("a personal key in an org with the permission asked: granted; an org key without it: not granted (200 both)", async () => {
    const granted = await samePaths(async () => {
      const { user } = await freshMember();
      const k = await createPersonalApiKey(user, input({ org: "xcorp" }), ctx);
      return { body: { apiKey: k.key, permission: "reports::read" }, keyId: k.id };
    });
    expect(JSON.parse(granted.answers[0]!.body)).toMatchObject({ key: { role: { key: "member" } }, permission: { id: "reports::read", granted: true } });
    const missing = await samePaths(async () => {
      const { db } = getDb();
      const k = await createOrgApiKey(await userByEmail(db, "admin@xcorp.example"), await orgBySlug(db, "xcorp"), input({ permissions: ["reports::read"] }), ctx);
      return { body: { apiKey: k.key, permission: "reports::export" }, keyId: k.id };
    });
    expect(missing.paths).toEqual(["fast"]);
    expect(JSON.parse(missing.answers[0]!.body)).toMatchObject({ valid: true, key: { type: "org", permissions: ["reports::read"] }, permission: { id: "reports::export", granted: false } });
  });

  it("over the key's limit of 2: 200, 200, then 429 with Retry-After and one rate_limited event, from one statement each", async () => {
    const r = await samePaths(async () => {
      const k = await personal({ rateLimitPerMinute: 2 });
      return { body: { apiKey: k.key }, keyId: k.id };
    }, 4);
    expect(r.paths).toEqual(["fast", "fast", "fast", "fast"]);
    expect(r.answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
    expect(r.answers[2]).toMatchObject({ retryAfter: "1..60", remaining: "0" });
    expect(JSON.parse(r.answers[2]!.body)).toMatchObject({ valid: true, rateLimit: { allowed: false }, error: { code: "rate_limited" } });
    expect(r.traces).toMatchObject({ useCount: 4, keyBucket: 4, events: ["api_key.created:", "api_key.use_refused:rate_limited"] });
  });

  it.each([
    ["revoked", async () => {
      const j = await john();
      const k = await personal();
      await revokeUserApiKey(j, { userId: j.id }, k.id, ctx);
      return k;
    }],
    ["expired", async () => {
      const k = await personal();
      await getDb().db.update(userApiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(userApiKeys.id, k.id));
      return k;
    }],
    ["owner_disabled", async () => {
      const { user } = await freshMember();
      const k = await createPersonalApiKey(user, input({}), ctx);
      await getDb().db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
      return k;
    }],
    ["membership_ended", async () => {
      const { user, orgId } = await freshMember();
      const k = await createPersonalApiKey(user, input({ org: "xcorp" }), ctx);
      await getDb().db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, user.id)));
      return k;
    }],
  ])("a %s key: 401 with its reason, audited once, twice asked", async (reason, make) => {
    const r = await samePaths(async () => {
      const k = await make();
      return { body: { apiKey: k.key }, keyId: k.id };
    }, 2);
    expect(r.paths).toEqual(["key", "key"]);
    expect(r.answers.map((a) => a.status)).toEqual([401, 401]);
    expect(JSON.parse(r.answers[0]!.body)).toMatchObject({ valid: false, reason, error: { code: "api_key_refused" } });
    expect((r.traces.events as string[]).filter((e) => e.startsWith("api_key.use_refused"))).toEqual([`api_key.use_refused:${reason}`]);
    expect(r.traces).toMatchObject({ platformBucket: 2 });
  });

  it("personal keys switched off on the platform: 401 disabled, the key not counted", async () => {
    const { db } = getDb();
    const keys = [await personal(), await personal()]; // one per run, made while personal keys are on
    await db.transaction((tx) => setPlatformSetting(tx, "personal_api_keys", false));
    try {
      const r = await samePaths(async () => {
        const k = keys.shift()!;
        return { body: { apiKey: k.key }, keyId: k.id };
      });
      expect(JSON.parse(r.answers[0]!.body)).toMatchObject({ valid: false, reason: "disabled" });
      expect(r.traces).toMatchObject({ useCount: 0, keyBucket: 0 });
    } finally {
      await db.transaction((tx) => setPlatformSetting(tx, "personal_api_keys", true));
    }
  });

  it("an org key after its org moved to a plan without its permission: valid, with no permissions", async () => {
    const { db } = getDb();
    const [bare] = await db.insert(roleMappings).values({ name: `Bare ${crypto.randomUUID()}`, description: "test" }).returning();
    const techcorp = await orgBySlug(db, "techcorp");
    const admin = await userByEmail(db, "admin@techcorp.example");
    // One key per run, both made before the move (making one needs api_keys::manage, which the bare plan lacks).
    const keys = [await createOrgApiKey(admin, techcorp, input({}), ctx), await createOrgApiKey(admin, techcorp, input({}), ctx)];
    await subscribeOrg(staff, "techcorp", bare!.id, ctx);
    const r = await samePaths(async () => {
      const k = keys.shift()!;
      return { body: { apiKey: k.key, permission: "api_keys::manage" }, keyId: k.id };
    });
    expect(r.paths).toEqual(["fast"]);
    expect(JSON.parse(r.answers[0]!.body)).toMatchObject({ valid: true, key: { permissions: [] }, permission: { id: "api_keys::manage", granted: false } });
  });

  it.each([
    ["an unknown key", { apiKey: "ghk_live_nope" }, 401, "api_key_refused"],
    ["a key of no known kind", { apiKey: "sk_live_nope" }, 401, "api_key_refused"],
    ["a body that is not the schema", { apiKey: "ghk_live_x", extra: 1 }, 400, "invalid_input"],
    ["a body that is not JSON", "{", 400, "invalid_json"],
  ])("%s: %i %s", async (_, body, status, code) => {
    const r = await samePaths(async () => ({ body }));
    expect(r.answers[0]!.status).toBe(status);
    expect(JSON.parse(r.answers[0]!.body)).toMatchObject({ error: { code } });
    expect(r.traces).toMatchObject({ platformBucket: 1 });
  });

  it("a body of the wrong type: 415 after the platform key; with a wrong platform key, 401 first", async () => {
    const r = await samePaths(async () => ({ body: { apiKey: "ghk_live_x" }, contentType: "text/plain" }));
    expect(r.answers[0]!.status).toBe(415);
    const wrong = await samePaths(async () => ({ body: "{", authorization: "Bearer ghk_wrong" }));
    expect(JSON.parse(wrong.answers[0]!.body)).toMatchObject({ error: { code: "invalid_api_key" } });
  });

  it.each([
    ["a wrong platform key", async () => ({ authorization: "Bearer ghk_wrong" })],
    ["no platform key", async () => ({ authorization: "" })],
    ["a revoked platform key", async (p: { id: string }) => {
      await revokeApiKey(staff, p.id, ctx);
      return {};
    }],
  ])("%s: 401 invalid_api_key, the key neither counted nor audited", async (_, platform) => {
    const r = await samePaths(async (p) => {
      const k = await personal();
      return { body: { apiKey: k.key }, keyId: k.id, ...(await platform(p)) };
    });
    expect(r.answers[0]!.status).toBe(401);
    expect(JSON.parse(r.answers[0]!.body)).toEqual({ error: { code: "invalid_api_key", message: "Send a valid platform API key as `Authorization: Bearer <key>`." } });
    expect(r.traces).toMatchObject({ useCount: 0, keyBucket: 0, events: ["api_key.created:"] });
  });

  it("the platform key over its own validation budget: 429 with Retry-After, the key not counted", async () => {
    const r = await samePaths(async (p) => {
      await getDb().db.insert(rateLimitBuckets).values({ key: `api_key_validate:${p.id}`, hits: getEnv().API_KEY_VALIDATIONS_PER_MINUTE, resetAt: new Date(Date.now() + 30_000) });
      const k = await personal();
      return { body: { apiKey: k.key }, keyId: k.id };
    });
    expect(r.answers[0]).toMatchObject({ status: 429, retryAfter: "1..60" });
    expect(JSON.parse(r.answers[0]!.body)).toMatchObject({ error: { code: "rate_limited" } });
    expect(r.traces).toMatchObject({ useCount: 0, keyBucket: 0, platformBucket: getEnv().API_KEY_VALIDATIONS_PER_MINUTE + 1 });
  });
});

describe("atomic limits in one statement", () => {
  it("50 parallel validations of a key limited to 10/min → exactly 10 allowed, 40 × 429, 50 uses counted, one refusal event", async () => {
    const { db } = getDb();
    fast.paths = [];
    const platform = await createApiKey(staff, { name: "Parallel" }, ctx);
    const k = await personal({ rateLimitPerMinute: 10 });
    const s = { platformKey: platform.key, platformId: platform.id, body: { apiKey: k.key }, keyId: k.id };
    const statuses = (await Promise.all(Array.from({ length: 50 }, () => post(s)))).map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(10);
    expect(statuses.filter((x) => x === 429)).toHaveLength(40);
    expect(fast.paths.filter((p) => p === "fast")).toHaveLength(50);
    expect(await traces(s)).toMatchObject({ useCount: 50, keyBucket: 50, platformBucket: 50, events: ["api_key.created:", "api_key.use_refused:rate_limited"] });
    const refused = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, k.id), like(auditEvents.action, "api_key.use_refused")));
    expect(refused).toHaveLength(1);
  }, 30_000);

  it("50 parallel validations with the platform key 10 short of its budget → exactly 10 reach the key", async () => {
    const platform = await createApiKey(staff, { name: "Almost spent" }, ctx);
    const max = getEnv().API_KEY_VALIDATIONS_PER_MINUTE;
    await getDb().db.insert(rateLimitBuckets).values({ key: `api_key_validate:${platform.id}`, hits: max - 10, resetAt: new Date(Date.now() + 30_000) });
    const k = await personal({ rateLimitPerMinute: 1000 });
    const s = { platformKey: platform.key, platformId: platform.id, body: { apiKey: k.key }, keyId: k.id };
    const results = await Promise.all(Array.from({ length: 50 }, () => post(s)));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as { error?: { code: string } }[];
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(bodies.filter((b) => b.error?.code === "rate_limited")).toHaveLength(40);
    expect(await traces(s)).toMatchObject({ useCount: 10, keyBucket: 10, platformBucket: max + 40 });
  }, 30_000);
});

describe("the direct lane answers as the Next route", () => {
  let lane: LaneServer;
  let laneUrl: string;
  beforeAll(async () => {
    lane = await startLaneServer();
    laneUrl = lane.url;
  });
  afterAll(() => lane.close());

  it.each([
    ["a valid key", (k: string) => ({ body: JSON.stringify({ apiKey: k, permission: "reports::read" }) })],
    ["an unknown key", () => ({ body: JSON.stringify({ apiKey: "ghk_live_nope" }) })],
    ["a wrong platform key", (k: string) => ({ body: JSON.stringify({ apiKey: k }), authorization: "Bearer ghk_wrong" })],
    ["a body that is not JSON", () => ({ body: "{" })],
    ["a NUL in a string", () => ({ body: '{"apiKey":"ghk_live_\\u0000"}' })],
    ["a body of the wrong type", (k: string) => ({ body: JSON.stringify({ apiKey: k }), type: "text/plain" })],
    ["a body over 64 KiB", () => ({ body: JSON.stringify({ apiKey: "x".repeat(70_000) }) })],
    ["a body declared over 1 MiB", () => ({ body: "{}", length: String(2 * 1024 * 1024) })],
  ])("%s", async (_, make) => {
    const answers = [];
    for (const viaLane of [true, false]) {
      const platform = await createApiKey(staff, { name: "Lane" }, ctx);
      const k = await personal({ rateLimitPerMinute: 3 });
      const m = make(k.key) as { body: string; authorization?: string; type?: string; length?: string };
      const headers: Record<string, string> = { authorization: m.authorization ?? `Bearer ${platform.key}`, "content-type": m.type ?? "application/json" };
      if (m.length) {
        // A declared length the body does not have: only the answer to the header is compared.
        const res = viaLane
          ? await rawPost(`${laneUrl}${PATH}`, { ...headers, "content-length": m.length }, m.body)
          : await call(validateRoute, PATH, { method: "POST", headers: { ...headers, "content-length": m.length }, body: m.body });
        answers.push(await answerOf(res));
        continue;
      }
      const res = viaLane ? await fetch(`${laneUrl}${PATH}`, { method: "POST", headers, body: m.body }) : await call(validateRoute, PATH, { method: "POST", headers, body: m.body });
      answers.push(await answerOf(res));
    }
    expect(answers[0]).toEqual(answers[1]);
  });
});

/** A POST whose Content-Length may lie (fetch would refuse): the answer as a Response. */
async function rawPost(url: string, headers: Record<string, string>, body: string): Promise<Response> {
  const http = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        req.destroy();
        const h = new Headers();
        for (const [n, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(n, v);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: h }));
      });
    });
    req.on("error", reject);
    req.write(body);
  });
}

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, oauthClients, oauthGrants } from "@/drizzle/schema";
import { resetEnvForTests } from "@/lib/env";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { BASE, call, form, mcpInit, orgBySlug, RESOURCE, toolCall, userByEmail } from "@/test/oauth";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

// Small limits for this file; each test file runs in its own process environment.
const LIMITS = { MCP_PER_GRANT_PER_MINUTE: "10", OAUTH_TOKEN_PER_CLIENT_PER_MINUTE: "5" };
Object.assign(process.env, LIMITS);
resetEnvForTests();

const { POST: mcp, OPTIONS: mcpPreflight } = await import("@/app/api/mcp/route");
const { POST: token, OPTIONS: tokenPreflight } = await import("@/app/oauth/token/route");
const { issueAccessToken } = await import("./tokens");
const { createRefreshToken } = await import("./refresh-tokens");

const getDb = useTestDatabase();
let xcorpId: string;
let accessToken: string;
let grantId: string;

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  xcorpId = (await orgBySlug(db, "xcorp")).id;
  const admin = await userByEmail(db, "admin@xcorp.example");
  await db.insert(oauthClients).values({ id: "limit-client", name: "Busy agent", type: "public", redirectUris: ["http://127.0.0.1:1/cb"], allowedScopes: ["profile"] });
  const [grant] = await db
    .insert(oauthGrants)
    .values({ clientId: "limit-client", userId: admin.id, orgId: xcorpId, scopes: ["profile"], resource: RESOURCE })
    .returning();
  grantId = grant!.id;
  accessToken = (
    await issueAccessToken({ userId: admin.id, orgId: xcorpId, clientId: "limit-client", grantId, scopes: ["profile"], resource: RESOURCE, ttlSeconds: 600 })
  ).token;
});

afterAll(() => {
  for (const k of Object.keys(LIMITS)) delete process.env[k];
  resetEnvForTests();
});

describe("limits on the OAuth side", () => {
  it("50 parallel tool calls on one grant with a limit of 10: exactly 10 answered, 40 × 429 + Retry-After, one rate_limit.hit event", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(mcp, "/api/mcp", mcpInit(accessToken, toolCall("whoami", {}, i)))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(results.find((r) => r.status === 429)!.headers.get("retry-after")).toMatch(/^\d+$/);
    const hits = await getDb()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, xcorpId), eq(auditEvents.action, "rate_limit.hit"), eq(auditEvents.grantId, grantId)));
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits.length).toBeLessThanOrEqual(2); // 2 only when the burst straddles a minute
    const tools = await getDb().db.select().from(auditEvents).where(and(eq(auditEvents.action, "mcp.tool_called"), eq(auditEvents.grantId, grantId)));
    expect(tools).toHaveLength(10);
  });

  it("30 parallel token requests from one client with a limit of 5: 5 evaluated, 25 × 429", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        call(
          token,
          "/oauth/token",
          form({ grant_type: "authorization_code", code: "nope", redirect_uri: "http://127.0.0.1:1/cb", client_id: "limit-client", code_verifier: "x".repeat(43) }),
        ),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited.headers.get("access-control-allow-origin")).toBe("*");
    expect((await limited.json()).error).toBe("rate_limited");
  });
});

describe("absolute grant lifetime", () => {
  it("a grant older than OAUTH_GRANT_MAX_AGE_DAYS (90) no longer refreshes; a younger one does", async () => {
    const { db } = getDb();
    const admin = await userByEmail(db, "admin@xcorp.example");
    await db.insert(oauthClients).values({ id: "old-client", name: "Old agent", type: "public", redirectUris: ["http://127.0.0.1:1/cb"], allowedScopes: ["profile"] });
    const refreshFor = async (ageDays: number) => {
      const [grant] = await db
        .insert(oauthGrants)
        .values({ clientId: "old-client", userId: admin.id, orgId: xcorpId, scopes: ["profile"], resource: RESOURCE, createdAt: new Date(Date.now() - ageDays * 86_400_000) })
        .returning();
      const refresh = await createRefreshToken(db, { grantId: grant!.id, clientId: "old-client", scopes: ["profile"] });
      return call(token, "/oauth/token", form({ grant_type: "refresh_token", refresh_token: refresh, client_id: "old-client" }));
    };
    const old = await refreshFor(91);
    expect(old.status).toBe(400);
    expect(await old.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/maximum lifetime/) });
    expect((await refreshFor(89)).status).toBe(200);
  });
});

describe("interop: Origin and CORS", () => {
  it("/api/mcp refuses a browser Origin that is not allowed; no Origin and our own origin pass", async () => {
    const foreign = await call(mcp, "/api/mcp", { ...mcpInit(null, toolCall("whoami")), headers: { ...mcpInit(null, {}).headers, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    const none = await call(mcp, "/api/mcp", mcpInit(null, toolCall("whoami")));
    expect(none.status).toBe(401); // reaches authentication
    const own = await call(mcp, "/api/mcp", { ...mcpInit(null, toolCall("whoami")), headers: { ...mcpInit(null, {}).headers, origin: BASE } });
    expect(own.status).toBe(401);
    expect(own.headers.get("access-control-allow-origin")).toBe(BASE);
    expect(own.headers.get("access-control-expose-headers")).toMatch(/WWW-Authenticate/);
  });

  it("answers CORS preflights on the MCP and token endpoints", async () => {
    const pre = await call(mcpPreflight, "/api/mcp", { method: "OPTIONS", headers: { origin: BASE, "access-control-request-method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect((await call(mcpPreflight, "/api/mcp", { method: "OPTIONS", headers: { origin: "https://evil.example" } })).status).toBe(403);
    const tok = await call(tokenPreflight, "/oauth/token", { method: "OPTIONS", headers: { origin: "https://inspector.example" } });
    expect(tok.status).toBe(204);
    expect(tok.headers.get("access-control-allow-origin")).toBe("*");
  });
});

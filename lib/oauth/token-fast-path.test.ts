// The token endpoint's one-statement path (token-fast-path.ts): what it records, and that its
// guarantees hold under concurrency. PGlite serializes everything: the parallel cases mean most on
// the PostgreSQL server (DATABASE_URL), where CI runs them.
import { and, desc, eq, inArray, like } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditEvents, auditUnchained, oauthClients, oauthGrants, oauthRefreshTokens, rateLimitBuckets } from "@/drizzle/schema";
import { flushAuditChains } from "@/lib/audit/sequencer";
import { verifyChain } from "@/lib/audit/verify";
import { sha256 } from "@/lib/crypto";
import { systemContext } from "@/lib/http/request-context";
import { leaseSize, resetLimitLeases } from "@/lib/rate-limit/lease";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { call, form, orgBySlug, RESOURCE, userByEmail } from "@/test/oauth";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const { POST: token } = await import("@/app/oauth/token/route");
const { createClient } = await import("./client-admin");
const { createRefreshToken } = await import("./refresh-tokens");

const getDb = useTestDatabase();
let xcorpId: string;
let johnId: string;
let clientId: string;
let confidential: { clientId: string; clientSecret: string };
const SCOPES = ["profile", "members:read"];

beforeAll(async () => {
  const db = getDb().db;
  await seedDemo(db);
  xcorpId = (await orgBySlug(db, "xcorp")).id;
  johnId = (await userByEmail(db, "john@xcorp.example")).id;
  const admin = await userByEmail(db, "admin@xcorp.example");
  const actor = { user: admin, context: systemContext() };
  const base = { presetParams: {}, accessTokenTtlSeconds: 3600 };
  clientId = (
    await createClient(
      { orgId: xcorpId },
      { ...base, name: "Agent", type: "public", presets: ["claude-code"], redirectUris: [], allowedScopes: SCOPES },
      actor,
    )
  ).clientId;
  const c = await createClient(
    { orgId: xcorpId },
    { ...base, name: "Backend", type: "confidential", presets: [], redirectUris: ["https://rs.example/cb"], allowedScopes: ["profile"] },
    actor,
  );
  confidential = { clientId: c.clientId, clientSecret: c.clientSecret! };
});

async function newGrant(client = clientId, scopes = SCOPES) {
  const db = getDb().db;
  const [grant] = await db.insert(oauthGrants).values({ clientId: client, userId: johnId, orgId: xcorpId, scopes, resource: RESOURCE }).returning();
  return { grantId: grant!.id, refresh: await createRefreshToken(db, { grantId: grant!.id, clientId: client, scopes }) };
}

const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
  call(token, "/oauth/token", form({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId, ...extra }));

describe("refresh in one statement", () => {
  it("rotates, and records the event the general path records, queued for its chain", async () => {
    const db = getDb().db;
    const { grantId, refresh: rt } = await newGrant();
    const res = await refresh(rt);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; refresh_token: string; scope: string; expires_in: number };
    expect(body.scope).toBe("profile members:read");
    expect(body.expires_in).toBe(3600);
    const rows = await db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.grantId, grantId));
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.usedAt)).toHaveLength(1);
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.grantId, grantId), eq(auditEvents.action, "oauth.token_refreshed")));
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e).toMatchObject({
      orgId: xcorpId,
      actorType: "agent",
      actorId: clientId,
      actorName: "Agent",
      onBehalfOfUserId: johnId,
      clientId,
      targetType: "oauth_grant",
      targetId: grantId,
      outcome: "success",
      metadata: { grant_type: "refresh_token", scope: "profile members:read" },
    });
    expect(e!.occurredAt.getTime() % 1).toBe(0);
    const queued = await db.select().from(auditUnchained).where(eq(auditUnchained.eventId, e!.id));
    expect(queued.map((q) => q.chainKey)).toEqual([xcorpId]);
    // Narrowing the scope is allowed and recorded; the new token carries the narrower scope.
    const narrow = await refresh(body.refresh_token, { scope: "profile" });
    expect(narrow.status).toBe(200);
    expect(((await narrow.json()) as { scope: string }).scope).toBe("profile");
  });

  it("changes nothing when a condition fails, so the general path gives its precise error", async () => {
    const db = getDb().db;
    const { grantId, refresh: rt } = await newGrant();
    const widen = await refresh(rt, { scope: "profile members:read members:write" });
    expect(widen.status).toBe(400);
    expect(((await widen.json()) as { error: string }).error).toBe("invalid_scope");
    const other = await newGrant();
    const wrongResource = await refresh(other.refresh, { resource: "https://elsewhere.example/mcp" });
    expect(wrongResource.status).toBe(400);
    expect(((await wrongResource.json()) as { error: string }).error).toBe("invalid_target");
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(inArray(auditEvents.grantId, [grantId, other.grantId]), eq(auditEvents.action, "oauth.token_refreshed")));
    expect(events).toHaveLength(0);
  });

  it("authenticates confidential clients before counting against them; a wrong secret never counts against the client", async () => {
    const db = getDb().db;
    const { refresh: rt } = await newGrant(confidential.clientId, ["profile"]);
    const key = `oauth:token:client:${confidential.clientId}`;
    await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
    resetLimitLeases();
    const bad = await call(
      token,
      "/oauth/token",
      form({ grant_type: "refresh_token", refresh_token: rt, client_id: confidential.clientId, client_secret: "wrong" }),
    );
    expect(bad.status).toBe(401);
    expect(await db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key))).toHaveLength(0);
    const good = await call(
      token,
      "/oauth/token",
      form({ grant_type: "refresh_token", refresh_token: rt, client_id: confidential.clientId, client_secret: confidential.clientSecret }),
    );
    expect(good.status).toBe(200);
    // Counted: the node leased a block of the client's window (lib/rate-limit/lease.ts).
    const [bucket] = await db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
    expect(bucket?.hits).toBe(leaseSize(60));
  });

  it("judges the client on its row, not on this node's copy of it: a new secret, a disabled client, a new name and lifetime count at once", async () => {
    const db = getDb().db;
    const admin = await userByEmail(db, "admin@xcorp.example");
    const c = await createClient(
      { orgId: xcorpId },
      { presetParams: {}, accessTokenTtlSeconds: 600, name: "Rotating", type: "confidential", presets: [], redirectUris: ["https://rs.example/cb"], allowedScopes: ["profile"] },
      { user: admin, context: systemContext() },
    );
    const { grantId, refresh: first } = await newGrant(c.clientId, ["profile"]);
    const send = (rt: string, secret: string) =>
      call(token, "/oauth/token", form({ grant_type: "refresh_token", refresh_token: rt, client_id: c.clientId, client_secret: secret }));
    const ok = await send(first, c.clientSecret!); // this node now holds a copy of the client's row
    expect(ok.status).toBe(200);
    let rt = ((await ok.json()) as { refresh_token: string }).refresh_token;
    // Another node gives the client a new secret, a new name and a new token lifetime.
    await db.update(oauthClients).set({ secretHash: sha256("the-new-secret"), name: "Rotated", accessTokenTtlSeconds: 120 }).where(eq(oauthClients.id, c.clientId));
    const old = await send(rt, c.clientSecret!);
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: string }).error).toBe("invalid_client");
    const fresh = await send(rt, "the-new-secret");
    expect(fresh.status).toBe(200);
    const body = (await fresh.json()) as { refresh_token: string; expires_in: number };
    expect(body.expires_in).toBe(120);
    rt = body.refresh_token;
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.grantId, grantId), eq(auditEvents.action, "oauth.token_refreshed")))
      .orderBy(desc(auditEvents.occurredAt))
      .limit(1);
    expect(event?.actorName).toBe("Rotated");
    // Disabled elsewhere: refused at once, and the refresh token is left unused.
    await db.update(oauthClients).set({ disabledAt: new Date() }).where(eq(oauthClients.id, c.clientId));
    const disabled = await send(rt, "the-new-secret");
    expect(disabled.status).toBe(401);
    const [left] = await db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenHash, sha256(rt)));
    expect(left?.usedAt).toBeNull();
  });
});

describe("under concurrency", () => {
  // Each case starts with fresh limit windows (the per-client limit is 60 a minute).
  beforeEach(async () => {
    await getDb().db.delete(rateLimitBuckets).where(like(rateLimitBuckets.key, "oauth:token:%"));
    resetLimitLeases();
  });

  it("50 parallel uses of one refresh token: exactly one succeeds, the replays revoke the grant", async () => {
    const db = getDb().db;
    const { grantId, refresh: rt } = await newGrant();
    const results = await Promise.all(Array.from({ length: 50 }, () => refresh(rt)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(49);
    const [grant] = await db.select().from(oauthGrants).where(eq(oauthGrants.id, grantId));
    expect(grant?.revokedAt).not.toBeNull();
    const issued = await db.select().from(auditEvents).where(and(eq(auditEvents.grantId, grantId), eq(auditEvents.action, "oauth.token_refreshed")));
    expect(issued).toHaveLength(1);
  });

  it("50 parallel refreshes of 50 grants in one org: all succeed, one event each, and the org's chain links and verifies", async () => {
    const db = getDb().db;
    const grants = [];
    for (let i = 0; i < 50; i++) grants.push(await newGrant());
    const results = await Promise.all(grants.map((g) => refresh(g.refresh)));
    expect(results.map((r) => r.status)).toEqual(grants.map(() => 200));
    const ids = grants.map((g) => g.grantId);
    const events = await db.select().from(auditEvents).where(and(inArray(auditEvents.grantId, ids), eq(auditEvents.action, "oauth.token_refreshed")));
    expect(events).toHaveLength(50);
    expect(new Set(events.map((e) => e.grantId)).size).toBe(50);
    await flushAuditChains(db);
    const report = await verifyChain(db, xcorpId);
    expect(report.ok).toBe(true);
    expect(report.unchained).toBe(0);
  });
});

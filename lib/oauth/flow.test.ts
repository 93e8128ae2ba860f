import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, memberships, oauthCodes, oauthGrants, roles } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { systemContext } from "@/lib/http/request-context";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import {
  BASE,
  call,
  form,
  mcpInit,
  orgBySlug,
  pkcePair,
  RESOURCE,
  toolCall,
  userByEmail,
} from "@/test/oauth";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const { GET: authorize } = await import("@/app/oauth/authorize/route");
const { POST: decision } = await import("@/app/oauth/decision/route");
const { POST: token } = await import("@/app/oauth/token/route");
const { POST: revoke } = await import("@/app/oauth/revoke/route");
const { POST: introspect } = await import("@/app/oauth/introspect/route");
const { POST: mcp } = await import("@/app/api/mcp/route");
const { GET: asMetadata } = await import("@/app/.well-known/oauth-authorization-server/route");
const { GET: prMetadata } = await import("@/app/.well-known/oauth-protected-resource/[[...path]]/route");
const { GET: jwks } = await import("@/app/oauth/jwks/route");
const { createClient } = await import("./client-admin");
const { issueAccessToken } = await import("./tokens");

const getDb = useTestDatabase();
let john: CurrentUser;
let xcorpId: string;
let publicClient: string;
let confidential: { clientId: string; clientSecret: string };

beforeAll(async () => {
  const db = getDb().db;
  await seedDemo(db);
  john = await userByEmail(db, "john@xcorp.example");
  xcorpId = (await orgBySlug(db, "xcorp")).id;
  // John is an Admin here: the flow needs a user who holds members::read, since a token's scope
  // only counts with the user's permission (the matrix test covers a plain Member).
  const [adminRole] = await db.select().from(roles).where(eq(roles.key, "admin"));
  await db.update(memberships).set({ roleId: adminRole!.id }).where(and(eq(memberships.userId, john.id), eq(memberships.orgId, xcorpId)));
  const admin = await userByEmail(db, "admin@xcorp.example");
  const actor = { user: admin, context: systemContext() };
  publicClient = (
    await createClient(
      { orgId: xcorpId },
      {
        name: "Claude Code",
        type: "public",
        presets: ["claude-code"],
        presetParams: {},
        redirectUris: [],
        allowedScopes: ["profile", "members:read"],
        accessTokenTtlSeconds: 3600,
      },
      actor,
    )
  ).clientId;
  const c = await createClient(
    { orgId: xcorpId },
    {
      name: "Resource server",
      type: "confidential",
      presets: [],
      presetParams: {},
      redirectUris: ["https://rs.example/cb"],
      allowedScopes: ["profile"],
      accessTokenTtlSeconds: 600,
    },
    actor,
  );
  confidential = { clientId: c.clientId, clientSecret: c.clientSecret! };
});

function authorizeQuery(over: Record<string, string | undefined> = {}, challenge = pkcePair().challenge) {
  const p: Record<string, string | undefined> = {
    response_type: "code",
    client_id: publicClient,
    redirect_uri: "http://localhost:49152/callback",
    scope: "profile members:read",
    state: "st-123",
    code_challenge: challenge,
    code_challenge_method: "S256",
    resource: RESOURCE,
    ...over,
  };
  return new URLSearchParams(
    Object.entries(p).filter(([, v]) => v !== undefined) as [string, string][],
  ).toString();
}

/** Run authorize → consent → approve as `user`; returns the redirect with the code. */
async function approve(user: CurrentUser, query: string, orgId = xcorpId): Promise<URL> {
  session.user = user;
  const res = await call(authorize, `/oauth/authorize?${query}`);
  expect(res.status).toBe(302);
  const consent = new URL(res.headers.get("location")!, BASE);
  expect(consent.pathname).toBe("/oauth/consent");
  const body = new URLSearchParams({
    request: consent.searchParams.get("request")!,
    decision: "approve",
    org: orgId,
  });
  const res2 = await call(decision, "/oauth/decision", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
    body: body.toString(),
  });
  expect(res2.status).toBe(303);
  return new URL(res2.headers.get("location")!);
}

async function fullFlow(scope = "profile members:read") {
  const { verifier, challenge } = pkcePair();
  const back = await approve(john, authorizeQuery({ scope }, challenge));
  const code = back.searchParams.get("code")!;
  const res = await call(
    token,
    "/oauth/token",
    form({
      grant_type: "authorization_code",
      code,
      redirect_uri: "http://localhost:49152/callback",
      client_id: publicClient,
      code_verifier: verifier,
      resource: RESOURCE,
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as {
    access_token: string;
    refresh_token: string;
    scope: string;
    expires_in: number;
  };
}

/** The public client's replay events of one kind, as the audit log holds them. */
async function replayEvents(action: "oauth.code_replayed" | "oauth.refresh_token_replayed") {
  return getDb()
    .db.select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.clientId, publicClient)));
}

/** A replay revoked one grant: one new denied event about it, by the client, on John's behalf. */
function expectOneReplayEvent(before: { id: string }[], after: Awaited<ReturnType<typeof replayEvents>>) {
  const added = after.filter((e) => !before.some((b) => b.id === e.id));
  expect(added).toHaveLength(1);
  expect(added[0]).toMatchObject({
    orgId: xcorpId,
    actorType: "agent",
    actorId: publicClient,
    actorName: "Claude Code",
    onBehalfOfUserId: john.id,
    outcome: "denied",
    targetType: "oauth_grant",
    targetId: added[0]!.grantId,
    metadata: { revoked: true },
  });
}

async function callTool(accessToken: string | null, name: string, args: Record<string, unknown> = {}) {
  return call(mcp, "/api/mcp", mcpInit(accessToken, toolCall(name, args)));
}

describe("discovery", () => {
  it("publishes RFC 8414 and RFC 9728 metadata and the JWKS as JSON", async () => {
    const as = await call(asMetadata, "/.well-known/oauth-authorization-server");
    expect(as.headers.get("content-type")).toMatch(/^application\/json/);
    const m = await as.json();
    expect(m).toMatchObject({
      issuer: BASE,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      authorization_response_iss_parameter_supported: true,
    });
    expect(m.registration_endpoint).toBeUndefined(); // DCR is off by default
    const pr = await (
      await call(prMetadata, "/.well-known/oauth-protected-resource/api/mcp", {
        params: { path: ["api", "mcp"] },
      })
    ).json();
    expect(pr).toMatchObject({ resource: RESOURCE, authorization_servers: [BASE] });
    await fullFlow(); // makes sure a key exists
    const keys = await (await call(jwks, "/oauth/jwks")).json();
    expect(keys.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
    expect(keys.keys[0].d).toBeUndefined();
  });
});

describe("authorization code flow", () => {
  it("issues a token that calls MCP tools, with state and iss echoed, and audits each call", async () => {
    const { verifier, challenge } = pkcePair();
    const back = await approve(john, authorizeQuery({}, challenge));
    expect(back.searchParams.get("state")).toBe("st-123");
    expect(back.searchParams.get("iss")).toBe(BASE);
    const res = await call(
      token,
      "/oauth/token",
      form({
        grant_type: "authorization_code",
        code: back.searchParams.get("code")!,
        redirect_uri: "http://localhost:49152/callback",
        client_id: publicClient,
        code_verifier: verifier,
      }),
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    const t = await res.json();
    expect(t).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "profile members:read" });

    const who = await callTool(t.access_token, "whoami");
    expect(who.status).toBe(200);
    const whoBody = await who.json();
    expect(whoBody.result.structuredContent).toMatchObject({
      user_id: john.id,
      org_id: xcorpId,
      client_id: publicClient,
      email: "john@xcorp.example",
    });

    const members = await (await callTool(t.access_token, "list_members")).json();
    expect(members.result.structuredContent.members.map((m: { email: string }) => m.email)).toContain(
      "owner@xcorp.example",
    );
    expect(JSON.stringify(members)).not.toContain("techcorp");

    const events = await getDb()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "mcp.tool_called"), eq(auditEvents.clientId, publicClient)));
    const e = events.find((x) => x.targetId === "list_members")!;
    expect(e).toMatchObject({
      actorType: "agent",
      actorId: publicClient,
      actorName: "Claude Code",
      onBehalfOfUserId: john.id,
      orgId: xcorpId,
      outcome: "success",
    });
    expect(e.grantId).toBeTruthy();
    expect(e.metadata).toMatchObject({ tool: "list_members", scope_used: "members:read" });
  });

  it("refuses an org_id argument instead of honouring it", async () => {
    const t = await fullFlow();
    const res = await (
      await callTool(t.access_token, "list_members", { org_id: "00000000-0000-0000-0000-000000000000" })
    ).json();
    expect(res.result?.isError ?? res.error).toBeTruthy();
    expect(JSON.stringify(res)).not.toContain("owner@xcorp.example");
  });

  it("answers a tool call without its scope with 403 insufficient_scope and audits it as denied", async () => {
    const t = await fullFlow("profile");
    const ok = await callTool(t.access_token, "whoami");
    expect(ok.status).toBe(200);
    const res = await callTool(t.access_token, "list_members");
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toMatch(/error="insufficient_scope"/);
    expect(res.headers.get("www-authenticate")).toMatch(/scope="members:read"/);
    expect(res.headers.get("www-authenticate")).toMatch(
      /resource_metadata="http:\/\/localhost:3000\/.well-known\/oauth-protected-resource\/api\/mcp"/,
    );
    const denied = await getDb()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "access.denied"), eq(auditEvents.outcome, "denied")));
    expect(denied.length).toBeGreaterThan(0);
  });

  it("answers 401 with resource_metadata when the token is missing or bad", async () => {
    const none = await callTool(null, "whoami");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${BASE}/.well-known/oauth-protected-resource/api/mcp"`,
    );
    const bad = await callTool("not.a.jwt", "whoami");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
  });

  it("refuses a token for another audience", async () => {
    const grant = (await getDb().db.select().from(oauthGrants).limit(1))[0]!;
    const { token: other } = await issueAccessToken({
      userId: john.id,
      orgId: xcorpId,
      clientId: publicClient,
      grantId: grant.id,
      scopes: ["profile"],
      resource: "https://other.example/mcp",
      ttlSeconds: 60,
    });
    expect((await callTool(other, "whoami")).status).toBe(401);
  });

  it("refuses an expired token", async () => {
    const grant = (
      await getDb().db.select().from(oauthGrants).where(eq(oauthGrants.clientId, publicClient)).limit(1)
    )[0]!;
    const { token: old } = await issueAccessToken({
      userId: john.id,
      orgId: xcorpId,
      clientId: publicClient,
      grantId: grant.id,
      scopes: ["profile"],
      resource: RESOURCE,
      ttlSeconds: -10,
    });
    const res = await callTool(old, "whoami");
    expect(res.status).toBe(401);
  });
});

describe("authorization request errors", () => {
  async function authz(query: string) {
    session.user = john;
    const res = await call(authorize, `/oauth/authorize?${query}`);
    return new URL(res.headers.get("location")!, BASE);
  }
  it("shows client and redirect errors on a page, never redirecting to them", async () => {
    for (const q of [
      authorizeQuery({ redirect_uri: "https://evil.example/cb" }),
      authorizeQuery({ client_id: "nope" }),
      authorizeQuery({ redirect_uri: undefined }),
      authorizeQuery({ client_id: undefined }),
    ]) {
      const loc = await authz(q);
      expect(loc.origin).toBe(BASE);
      expect(loc.pathname).toBe("/oauth/error");
    }
  });
  it.each([
    ["missing PKCE", { code_challenge: undefined, code_challenge_method: undefined }, "invalid_request"],
    ["plain PKCE", { code_challenge_method: "plain" }, "invalid_request"],
    ["no method", { code_challenge_method: undefined }, "invalid_request"],
    ["wrong resource", { resource: "https://other.example/mcp" }, "invalid_target"],
    ["unknown scope", { scope: "profile admin" }, "invalid_scope"],
    ["scope not allowed", { scope: "audit:read" }, "invalid_scope"],
    ["token response type", { response_type: "token" }, "unsupported_response_type"],
  ])("%s → %s to the redirect URI with state and iss", async (_n, over, error) => {
    const loc = await authz(authorizeQuery(over as Record<string, string | undefined>));
    expect(loc.host).toBe("localhost:49152");
    expect(loc.searchParams.get("error")).toBe(error);
    expect(loc.searchParams.get("state")).toBe("st-123");
    expect(loc.searchParams.get("iss")).toBe(BASE);
  });
  it("leaves out scopes the client may not have, and the token says what was granted", async () => {
    const { verifier, challenge } = pkcePair();
    const back = await approve(john, authorizeQuery({ scope: "profile audit:read" }, challenge));
    const res = await call(
      token,
      "/oauth/token",
      form({
        grant_type: "authorization_code",
        code: back.searchParams.get("code")!,
        redirect_uri: "http://localhost:49152/callback",
        client_id: publicClient,
        code_verifier: verifier,
      }),
    );
    expect((await res.json()).scope).toBe("profile");
  });
  it("sends a user without a session to sign-in and back to the same request", async () => {
    session.user = null;
    const q = authorizeQuery();
    const res = await call(authorize, `/oauth/authorize?${q}`);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/oauth/authorize?${q}`)}`);
  });
  it("refuses a consent post from another session, another site, or for an org the user is not in", async () => {
    session.user = john;
    const res = await call(authorize, `/oauth/authorize?${authorizeQuery()}`);
    const sealed = new URL(res.headers.get("location")!, BASE).searchParams.get("request")!;
    const post = (origin: string, org: string) =>
      call(decision, "/oauth/decision", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams({ request: sealed, decision: "approve", org }).toString(),
      });
    expect((await post("https://evil.example", xcorpId)).status).toBe(403);
    const techcorp = await orgBySlug(getDb().db, "techcorp");
    expect((await post(BASE, techcorp.id)).status).toBe(403);
    session.user = await userByEmail(getDb().db, "member@xcorp.example");
    expect((await post(BASE, xcorpId)).status).toBe(403);
  });
  it("returns access_denied when the user denies", async () => {
    session.user = john;
    const res = await call(authorize, `/oauth/authorize?${authorizeQuery()}`);
    const sealed = new URL(res.headers.get("location")!, BASE).searchParams.get("request")!;
    const out = await call(decision, "/oauth/decision", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
      body: new URLSearchParams({ request: sealed, decision: "deny" }).toString(),
    });
    const loc = new URL(out.headers.get("location")!);
    expect(loc.searchParams.get("error")).toBe("access_denied");
    expect(loc.searchParams.get("state")).toBe("st-123");
  });
});

describe("token endpoint errors", () => {
  async function freshCode() {
    const { verifier, challenge } = pkcePair();
    const back = await approve(john, authorizeQuery({}, challenge));
    return { code: back.searchParams.get("code")!, verifier };
  }
  const redeem = (code: string, verifier: string, over: Record<string, string | undefined> = {}) =>
    call(
      token,
      "/oauth/token",
      form({
        grant_type: "authorization_code",
        code,
        redirect_uri: "http://localhost:49152/callback",
        client_id: publicClient,
        code_verifier: verifier,
        ...over,
      }),
    );

  it("refuses a wrong verifier, a wrong redirect, a wrong resource or a missing verifier (RFC 6749 bodies)", async () => {
    for (const over of [
      { code_verifier: pkcePair().verifier },
      { redirect_uri: "http://localhost:49152/other" },
      { resource: "https://other.example/mcp" },
      { code_verifier: undefined },
    ]) {
      const { code, verifier } = await freshCode();
      const res = await redeem(code, verifier, over);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(["invalid_grant", "invalid_target", "invalid_request"]).toContain(body.error);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("refuses an expired code", async () => {
    const { code, verifier } = await freshCode();
    await getDb()
      .db.update(oauthCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(isNull(oauthCodes.usedAt));
    const res = await redeem(code, verifier);
    expect(await res.json()).toMatchObject({
      error: "invalid_grant",
      error_description: "The code has expired.",
    });
  });

  it("a replayed code fails and revokes the tokens it issued", async () => {
    const { code, verifier } = await freshCode();
    const first = await (await redeem(code, verifier)).json();
    expect((await callTool(first.access_token, "whoami")).status).toBe(200);
    const replayedBefore = await replayEvents("oauth.code_replayed");
    const second = await redeem(code, verifier);
    expect(second.status).toBe(400);
    expect((await second.json()).error).toBe("invalid_grant");
    expectOneReplayEvent(replayedBefore, await replayEvents("oauth.code_replayed"));
    expect((await callTool(first.access_token, "whoami")).status).toBe(401);
    const refreshed = await call(
      token,
      "/oauth/token",
      form({ grant_type: "refresh_token", refresh_token: first.refresh_token, client_id: publicClient }),
    );
    expect((await refreshed.json()).error).toBe("invalid_grant");
  });

  it("20 concurrent redemptions of one code give exactly one token", async () => {
    const { code, verifier } = await freshCode();
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(code, verifier)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
  });

  it("rotates refresh tokens; replaying an old one revokes the grant", async () => {
    const t = await fullFlow();
    const r1 = await (
      await call(
        token,
        "/oauth/token",
        form({ grant_type: "refresh_token", refresh_token: t.refresh_token, client_id: publicClient }),
      )
    ).json();
    expect(r1.access_token).toBeTruthy();
    expect(r1.refresh_token).not.toBe(t.refresh_token);
    expect((await callTool(r1.access_token, "whoami")).status).toBe(200);
    const narrowed = await (
      await call(
        token,
        "/oauth/token",
        form({
          grant_type: "refresh_token",
          refresh_token: r1.refresh_token,
          client_id: publicClient,
          scope: "profile",
        }),
      )
    ).json();
    expect(narrowed.scope).toBe("profile");
    const widen = await call(
      token,
      "/oauth/token",
      form({
        grant_type: "refresh_token",
        refresh_token: narrowed.refresh_token,
        client_id: publicClient,
        scope: "profile audit:read",
      }),
    );
    expect((await widen.json()).error).toBe("invalid_scope");
    const replayedBefore = await replayEvents("oauth.refresh_token_replayed");
    const replay = await call(
      token,
      "/oauth/token",
      form({ grant_type: "refresh_token", refresh_token: t.refresh_token, client_id: publicClient }),
    );
    expect((await replay.json()).error).toBe("invalid_grant");
    expectOneReplayEvent(replayedBefore, await replayEvents("oauth.refresh_token_replayed"));
    expect((await callTool(r1.access_token, "whoami")).status).toBe(401);
    expect((await callTool(narrowed.access_token, "whoami")).status).toBe(401);
  });

  it("authenticates confidential clients and refuses unknown grant types", async () => {
    const basic = Buffer.from(`${confidential.clientId}:wrong`).toString("base64");
    const res = await call(token, "/oauth/token", {
      ...form({ grant_type: "refresh_token", refresh_token: "x" }),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("invalid_client");
    const gt = await call(token, "/oauth/token", form({ grant_type: "password", client_id: publicClient }));
    expect((await gt.json()).error).toBe("unsupported_grant_type");
    const json = await call(token, "/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(415);
    expect((await json.json()).error.code).toBe("unsupported_media_type");
  });
});

describe("revocation and introspection", () => {
  const introspectAs = (tok: string) => {
    const basic = Buffer.from(`${confidential.clientId}:${confidential.clientSecret}`).toString("base64");
    return call(introspect, "/oauth/introspect", {
      ...form({ token: tok }),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    });
  };
  it("introspection reports active tokens with their claims, and inactive once the grant is revoked", async () => {
    const t = await fullFlow();
    const active = await (await introspectAs(t.access_token)).json();
    expect(active).toMatchObject({
      active: true,
      sub: john.id,
      org_id: xcorpId,
      client_id: publicClient,
      scope: "profile members:read",
      aud: RESOURCE,
    });
    // A resource server of another org learns nothing.
    const techcorp = await orgBySlug(getDb().db, "techcorp");
    const techAdmin = await userByEmail(getDb().db, "admin@techcorp.example");
    const foreign = await createClient(
      { orgId: techcorp.id },
      {
        name: "TechCorp RS",
        type: "confidential",
        presets: [],
        presetParams: {},
        redirectUris: ["https://tc.example/cb"],
        allowedScopes: ["profile"],
        accessTokenTtlSeconds: 600,
      },
      { user: techAdmin, context: systemContext() },
    );
    const foreignBasic = Buffer.from(`${foreign.clientId}:${foreign.clientSecret}`).toString("base64");
    const foreignRes = await call(introspect, "/oauth/introspect", {
      ...form({ token: t.access_token }),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${foreignBasic}`,
      },
    });
    expect(await foreignRes.json()).toEqual({ active: false });
    const pub = await call(
      introspect,
      "/oauth/introspect",
      form({ token: t.access_token, client_id: publicClient }),
    );
    expect(pub.status).toBe(401);
    const rev = await call(
      revoke,
      "/oauth/revoke",
      form({ token: t.refresh_token, client_id: publicClient }),
    );
    expect(rev.status).toBe(200);
    expect(await (await introspectAs(t.access_token)).json()).toEqual({ active: false });
    expect((await callTool(t.access_token, "whoami")).status).toBe(401);
  });
  it("revoking an access token ends its grant too; unknown tokens answer 200", async () => {
    const t = await fullFlow();
    expect(
      (
        await call(
          revoke,
          "/oauth/revoke",
          form({ token: t.access_token, token_type_hint: "access_token", client_id: publicClient }),
        )
      ).status,
    ).toBe(200);
    expect((await callTool(t.access_token, "whoami")).status).toBe(401);
    expect(
      (await call(revoke, "/oauth/revoke", form({ token: "garbage", client_id: publicClient }))).status,
    ).toBe(200);
  });
  it("another client cannot revoke someone else's token", async () => {
    const t = await fullFlow();
    const basic = Buffer.from(`${confidential.clientId}:${confidential.clientSecret}`).toString("base64");
    await call(revoke, "/oauth/revoke", {
      ...form({ token: t.refresh_token }),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    });
    expect((await callTool(t.access_token, "whoami")).status).toBe(200);
  });
});

describe("orgs, blocks and disabled clients", () => {
  it("a user in several orgs picks the org; the token acts in the org picked", async () => {
    const db = getDb().db;
    const { memberships, roles } = await import("@/drizzle/schema");
    const { getConsentView } = await import("./consent");
    const { createClient: create } = await import("./client-admin");
    const { sealConsentRequest } = await import("./consent-request");
    const techcorp = await orgBySlug(db, "techcorp");
    const [memberRole] = await db.select().from(roles).where(eq(roles.key, "member"));
    await db.insert(memberships).values({ orgId: techcorp.id, userId: john.id, roleId: memberRole!.id });
    // A platform-wide client (no org): every org of the user is offered.
    const admin = await userByEmail(db, "admin@gatehouse.example");
    const { clientId } = await create(
      { orgId: null },
      {
        name: "Everywhere",
        type: "public",
        presets: ["vscode"],
        presetParams: {},
        redirectUris: [],
        allowedScopes: ["profile"],
        accessTokenTtlSeconds: 600,
      },
      { user: admin, context: systemContext() },
    );
    const { verifier, challenge } = pkcePair();
    const sealed = await sealConsentRequest(
      {
        clientId,
        redirectUri: "http://127.0.0.1:5555/",
        scopes: ["profile"],
        state: null,
        codeChallenge: challenge,
        resource: RESOURCE,
      },
      john.sessionIdHash,
    );
    const view = await getConsentView(john, sealed);
    expect(view!.orgs.map((o) => o.slug).sort()).toEqual(["techcorp", "xcorp"]);
    expect(view!.warnings.join(" ")).not.toMatch(/localhost/); // it also has https redirects
    // The org-scoped client of XCorp is offered in XCorp only.
    const own = await sealConsentRequest(
      {
        clientId: publicClient,
        redirectUri: "http://localhost:1/callback",
        scopes: ["profile"],
        state: null,
        codeChallenge: challenge,
        resource: RESOURCE,
      },
      john.sessionIdHash,
    );
    const ownView = await getConsentView(john, own);
    expect(ownView!.orgs.map((o) => o.slug)).toEqual(["xcorp"]);
    expect(ownView!.warnings.join(" ")).toMatch(/localhost/); // loopback-only client
    // Approve in TechCorp: the token names TechCorp.
    const back = await approve(
      john,
      new URLSearchParams({
        response_type: "code",
        client_id: clientId,
        redirect_uri: "http://127.0.0.1:5555/",
        scope: "profile",
        code_challenge: challenge,
        code_challenge_method: "S256",
        resource: RESOURCE,
      }).toString(),
      techcorp.id,
    );
    const t = await (
      await call(
        token,
        "/oauth/token",
        form({
          grant_type: "authorization_code",
          code: back.searchParams.get("code")!,
          redirect_uri: "http://127.0.0.1:5555/",
          client_id: clientId,
          code_verifier: verifier,
        }),
      )
    ).json();
    const who = await (await callTool(t.access_token, "whoami")).json();
    expect(who.result.structuredContent.org_id).toBe(techcorp.id);
  });

  it("blocking a client in the org ends its tokens there and removes the org from consent", async () => {
    const t = await fullFlow();
    expect((await callTool(t.access_token, "whoami")).status).toBe(200);
    const { setClientBlocked } = await import("./connected-apps");
    const admin = await userByEmail(getDb().db, "admin@xcorp.example");
    await setClientBlocked(xcorpId, publicClient, true, { user: admin, context: systemContext() });
    expect((await callTool(t.access_token, "whoami")).status).toBe(401);
    session.user = john;
    const res = await call(authorize, `/oauth/authorize?${authorizeQuery()}`);
    const { getConsentView } = await import("./consent");
    const view = await getConsentView(
      john,
      new URL(res.headers.get("location")!, BASE).searchParams.get("request")!,
    );
    expect(view!.orgs).toEqual([]);
    await setClientBlocked(xcorpId, publicClient, false, { user: admin, context: systemContext() });
    expect((await callTool(t.access_token, "whoami")).status).toBe(401); // unblocking does not revive revoked grants
  });

  it("disabling a client ends its tokens and its authorization requests", async () => {
    const t = await fullFlow();
    const { setClientDisabled } = await import("./client-admin");
    const admin = await userByEmail(getDb().db, "admin@xcorp.example");
    await setClientDisabled({ orgId: xcorpId }, publicClient, true, {
      user: admin,
      context: systemContext(),
    });
    expect((await callTool(t.access_token, "whoami")).status).toBe(401);
    session.user = john;
    const res = await call(authorize, `/oauth/authorize?${authorizeQuery()}`);
    expect(new URL(res.headers.get("location")!, BASE).pathname).toBe("/oauth/error");
    // Another org's admin cannot touch this client.
    const other = await orgBySlug(getDb().db, "techcorp");
    await expect(
      setClientDisabled({ orgId: other.id }, publicClient, false, { user: admin, context: systemContext() }),
    ).rejects.toThrow(/No such client/);
    await setClientDisabled({ orgId: xcorpId }, publicClient, false, {
      user: admin,
      context: systemContext(),
    });
  });
});

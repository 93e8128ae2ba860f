import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, memberships, oauthClients, oauthGrants, roleMappingPermissions, roles } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { BASE, orgBySlug, pkcePair, userByEmail } from "@/test/oauth";
import { loadRoutes } from "@/test/outsider/router";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", async () => (await import("@/test/current-user")).currentUserMock(() => session.user));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const { issueAccessToken } = await import("@/lib/oauth/tokens");
const { getConsentView } = await import("@/lib/oauth/consent");

const getDb = useTestDatabase();
const MCP_URL = new URL(`${BASE}/api/mcp`);
const CLIENT = "matrix-client";
const REDIRECT = "http://127.0.0.1:61235/callback";
let router: Awaited<ReturnType<typeof loadRoutes>>;
let john: CurrentUser;
let xcorp: { id: string; roleMappingId: string };
let memberRoleId: string;

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  router = await loadRoutes();
  john = await userByEmail(db, "john@xcorp.example"); // a plain Member of XCorp
  xcorp = await orgBySlug(db, "xcorp");
  memberRoleId = (await db.select().from(roles).where(eq(roles.key, "member")))[0]!.id;
  await db.insert(oauthClients).values({
    id: CLIENT,
    name: "Matrix agent",
    type: "public",
    redirectUris: [REDIRECT],
    allowedScopes: ["profile", "members:read", "audit:read"],
    verified: true,
  });
});

/** Give or take a permission from XCorp's Member role (in XCorp's plan): John's permission. */
async function setMemberPermission(permission: string, held: boolean) {
  const { db } = getDb();
  const cell = { mappingId: xcorp.roleMappingId, roleId: memberRoleId, permissionId: permission };
  if (held) await db.insert(roleMappingPermissions).values(cell).onConflictDoNothing();
  else
    await db
      .delete(roleMappingPermissions)
      .where(
        and(
          eq(roleMappingPermissions.mappingId, cell.mappingId),
          eq(roleMappingPermissions.roleId, cell.roleId),
          eq(roleMappingPermissions.permissionId, permission),
        ),
      );
}

/** A grant with exactly these scopes (as if consented) and an access token for it. */
async function tokenWith(scopes: string[]) {
  const { db } = getDb();
  const [grant] = await db
    .insert(oauthGrants)
    .values({ clientId: CLIENT, userId: john.id, orgId: xcorp.id, scopes, resource: MCP_URL.href })
    .returning();
  const { token } = await issueAccessToken({
    userId: john.id,
    orgId: xcorp.id,
    clientId: CLIENT,
    grantId: grant!.id,
    scopes,
    resource: MCP_URL.href,
    ttlSeconds: 600,
  });
  return token;
}

/** Call one tool through the official MCP SDK client; the outcome as the agent sees it. */
async function callAsAgent(token: string, tool: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const client = new Client({ name: "matrix", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(MCP_URL, {
    fetch: router.fetch,
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  try {
    const res = await client.callTool({ name: tool, arguments: {} });
    return res.isError ? { ok: false, error: JSON.stringify(res.content) } : { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    await client.close();
  }
}

const TOOLS: { tool: string; scope: string | null; permission: string | null }[] = [
  { tool: "whoami", scope: null, permission: null },
  { tool: "list_members", scope: "members:read", permission: "members::read" },
  { tool: "search_audit_log", scope: "audit:read", permission: "audit::read" },
];
const cases = TOOLS.flatMap((t) =>
  [true, false].flatMap((scopeGranted) =>
    [true, false].flatMap((held) => [false, true].map((removedAfter) => ({ ...t, scopeGranted, held, removedAfter }))),
  ),
);

describe("effective access = token scope ∩ the user's current permission, on every call", () => {
  it.each(cases)(
    "$tool: scope granted $scopeGranted × permission held $held × removed after consent $removedAfter",
    async ({ tool, scope, permission, scopeGranted, held, removedAfter }) => {
      if (permission) await setMemberPermission(permission, held);
      const token = await tokenWith(["profile", ...(scope && scopeGranted ? [scope] : [])]);
      if (permission && removedAfter) await setMemberPermission(permission, false);

      const outcome = await callAsAgent(token, tool);
      const passes = !scope || (scopeGranted && held && !removedAfter);
      expect(outcome.ok).toBe(passes);
      if (!outcome.ok) {
        // The 403 says which of the two is missing.
        expect(outcome.error).toMatch(scopeGranted ? /insufficient_permission/ : /insufficient_scope/);
        expect(outcome.error).toContain(scopeGranted ? permission! : scope!);
      }
      if (permission) await setMemberPermission(permission, false);
    },
  );

  it("refused calls leave aggregated access.denied evidence in the org's log (one event per minute, counted)", async () => {
    const { db } = getDb();
    const token = await tokenWith(["profile"]);
    const before = await db.select().from(auditEvents).where(eq(auditEvents.action, "access.denied"));
    for (let i = 0; i < 5; i++) expect((await callAsAgent(token, "search_audit_log")).ok).toBe(false);
    const after = await db.select().from(auditEvents).where(eq(auditEvents.action, "access.denied"));
    // Five refusals: at most the first of the minute writes (two if the calls straddle a minute;
    // other cells may already have written this minute's event for the route).
    expect(after.length - before.length).toBeLessThanOrEqual(2);
    const e = after.find((x) => x.targetId === "POST /api/mcp tools/call search_audit_log")!;
    expect(e).toMatchObject({ orgId: xcorp.id, actorType: "agent", actorId: CLIENT, onBehalfOfUserId: john.id, outcome: "denied" });
  });
});

describe("consent offers only what the user can exercise in the chosen org", () => {
  async function consentRequest(scope: string) {
    session.user = john;
    const q = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      scope,
      state: "s",
      code_challenge: pkcePair().challenge,
      code_challenge_method: "S256",
      resource: MCP_URL.href,
    });
    const res = await router.fetch(`${BASE}/oauth/authorize?${q}`);
    return new URL(res.headers.get("location")!, BASE).searchParams.get("request")!;
  }

  it("a Member is told audit:read and members:read are left out; the grant holds only profile and is not widened later", async () => {
    const { db } = getDb();
    const sealed = await consentRequest("profile members:read audit:read");
    const view = (await getConsentView(john, sealed))!;
    const org = view.orgs.find((o) => o.id === xcorp.id)!;
    expect(org.role).toBe("Member");
    expect(org.offer.available.map((s) => s.scope)).toEqual(["profile"]);
    expect(org.offer.unavailable).toEqual([
      expect.objectContaining({ scope: "members:read", permission: "members::read" }),
      expect.objectContaining({ scope: "audit:read", permission: "audit::read" }),
    ]);
    expect(view.lifetime.grantDays).toBeGreaterThan(0);

    const res = await router.fetch(`${BASE}/oauth/decision`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
      body: new URLSearchParams({ request: sealed, decision: "approve", org: xcorp.id }),
    });
    expect(res.status).toBe(303);
    const code = new URL(res.headers.get("location")!).searchParams.get("code");
    expect(code).toBeTruthy();
    const [latest] = await db.select().from(oauthGrants).where(eq(oauthGrants.userId, john.id)).orderBy(desc(oauthGrants.createdAt)).limit(1);
    expect(latest!.scopes).toEqual(["profile"]);

    // Gaining audit::read later does not widen the grant: the token still lacks the scope.
    await setMemberPermission("audit::read", true);
    const token = await tokenWith(latest!.scopes);
    const outcome = await callAsAgent(token, "search_audit_log");
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/insufficient_scope/) });
    await setMemberPermission("audit::read", false);
  });

  it("losing membership ends the agent at once (the grant check), whatever the scope", async () => {
    const { db } = getDb();
    await setMemberPermission("members::read", true);
    const token = await tokenWith(["profile", "members:read"]);
    expect((await callAsAgent(token, "list_members")).ok).toBe(true);
    const [m] = await db.select().from(memberships).where(and(eq(memberships.userId, john.id), eq(memberships.orgId, xcorp.id)));
    await db.delete(memberships).where(and(eq(memberships.userId, john.id), eq(memberships.orgId, xcorp.id)));
    await expect(callAsAgent(token, "list_members")).rejects.toThrow();
    await db.insert(memberships).values(m!);
    await setMemberPermission("members::read", false);
  });
});

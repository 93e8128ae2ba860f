import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/current-user";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { BASE, orgBySlug, userByEmail } from "@/test/oauth";
import { loadRoutes } from "./router";

// The "browser" is signed in as this user when it visits /oauth/authorize and the consent form.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", async () => (await import("@/test/current-user")).currentUserMock(() => session.user));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const getDb = useTestDatabase();
const MCP_URL = new URL(`${BASE}/api/mcp`);
let router: Awaited<ReturnType<typeof loadRoutes>>;
let xcorpId: string;

/** An OAuthClientProvider whose "browser" follows authorize → consent → approve and keeps the code. */
class TestProvider implements OAuthClientProvider {
  info?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  code?: string;
  redirects: URL[] = [];
  get redirectUrl() {
    return "http://127.0.0.1:61234/callback";
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "SDK Outsider",
      redirect_uris: [this.redirectUrl],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(t: OAuthTokens) {
    this.saved = t;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  async redirectToAuthorization(url: URL) {
    this.redirects.push(url);
    const r1 = await router.fetch(url);
    const consent = new URL(r1.headers.get("location")!, BASE);
    if (consent.pathname !== "/oauth/consent") throw new Error(`authorize went to ${consent}`);
    const r2 = await router.fetch(`${BASE}/oauth/decision`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
      body: new URLSearchParams({
        request: consent.searchParams.get("request")!,
        decision: "approve",
        org: xcorpId,
      }),
    });
    const back = new URL(r2.headers.get("location")!);
    if (back.searchParams.get("iss") !== BASE) throw new Error("no iss in the authorization response");
    this.code = back.searchParams.get("code") ?? undefined;
  }
}

beforeAll(async () => {
  await seedDemo(getDb().db);
  router = await loadRoutes();
  xcorpId = (await orgBySlug(getDb().db, "xcorp")).id;
  // An Admin of XCorp (Enterprise): holds members::read and audit::read, so both tools are theirs.
  session.user = await userByEmail(getDb().db, "admin@xcorp.example");
  const { setDynamicRegistrationEnabled } = await import("@/lib/oauth/settings");
  await setDynamicRegistrationEnabled(getDb().db, true);
});

async function connect(provider: TestProvider) {
  const client = new Client({ name: "outsider", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(MCP_URL, {
    authProvider: provider,
    fetch: router.fetch,
  });
  await client.connect(transport);
  return { client, transport };
}

describe("the official MCP TypeScript SDK client as an outsider", () => {
  it("discovers, registers, authorizes with PKCE, calls tools, refreshes, and is refused after revocation", async () => {
    const provider = new TestProvider();
    // 1. First connection: 401 → discovery → dynamic registration → authorization (consent approved).
    const first = new Client({ name: "outsider", version: "1.0.0" });
    const t1 = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: router.fetch });
    await expect(first.connect(t1)).rejects.toThrow(/Unauthorized/i);
    expect(router.log).toContain("GET /.well-known/oauth-protected-resource/api/mcp");
    expect(router.log).toContain("GET /.well-known/oauth-authorization-server");
    expect(router.log).toContain("POST /oauth/register");
    const authUrl = provider.redirects[0]!;
    expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authUrl.searchParams.get("resource")).toBe(MCP_URL.href);
    expect(provider.code).toBeTruthy();

    // 2. Finish: the code is exchanged at the token endpoint.
    await t1.finishAuth(provider.code!);
    expect(provider.saved?.access_token).toBeTruthy();

    // 3. Tool calls with the token.
    const { client } = await connect(provider);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(["list_members", "search_audit_log", "whoami"]);
    const who = await client.callTool({ name: "whoami", arguments: {} });
    expect(who.structuredContent).toMatchObject({ org_id: xcorpId, email: "admin@xcorp.example" });
    const members = await client.callTool({ name: "list_members", arguments: {} });
    expect(JSON.stringify(members.structuredContent)).toContain("owner@xcorp.example");
    const audit = await client.callTool({
      name: "search_audit_log",
      arguments: { action: "mcp.*", limit: 5 },
    });
    const events = (audit.structuredContent as { events: { action: string; client_id: string }[] }).events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.action.startsWith("mcp."))).toBe(true);

    // 4. Refresh: a broken access token makes the SDK refresh with the rotated refresh token.
    const oldRefresh = provider.saved!.refresh_token!;
    provider.saved = { ...provider.saved!, access_token: "broken" };
    const { client: c2 } = await connect(provider);
    await c2.callTool({ name: "whoami", arguments: {} });
    expect(provider.saved.refresh_token).toBeTruthy();
    expect(provider.saved.refresh_token).not.toBe(oldRefresh);
    expect(router.log.filter((l) => l === "POST /oauth/token").length).toBeGreaterThanOrEqual(2);

    // 5. Revocation (RFC 7009) ends the access token at once.
    const rev = await router.fetch(`${BASE}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: provider.saved.refresh_token!,
        client_id: (provider.info as { client_id: string }).client_id,
      }),
    });
    expect(rev.status).toBe(200);
    const res = await router.fetch(MCP_URL, {
      method: "POST",
      headers: {
        authorization: `Bearer ${provider.saved.access_token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 9,
        method: "tools/call",
        params: { name: "whoami", arguments: {} },
      }),
    });
    expect(res.status).toBe(401);
  });
});

import * as oauth from "oauth4webapi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/current-user";
import { systemContext } from "@/lib/http/request-context";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { BASE, orgBySlug, userByEmail } from "@/test/oauth";
import { loadRoutes } from "./router";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", async () => (await import("@/test/current-user")).currentUserMock(() => session.user));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const getDb = useTestDatabase();
const RESOURCE = `${BASE}/api/mcp`;
const REDIRECT = "http://localhost:8787/callback";
let router: Awaited<ReturnType<typeof loadRoutes>>;
let xcorpId: string;
let publicClient: oauth.Client;
let rsClient: oauth.Client;
let rsSecret: string;

beforeAll(async () => {
  const db = getDb().db;
  await seedDemo(db);
  router = await loadRoutes();
  xcorpId = (await orgBySlug(db, "xcorp")).id;
  const admin = await userByEmail(db, "admin@xcorp.example");
  const { createClient } = await import("@/lib/oauth/client-admin");
  const actor = { user: admin, context: systemContext() };
  const cursor = await createClient(
    { orgId: xcorpId },
    {
      name: "Cursor",
      type: "public",
      presets: ["cursor"],
      presetParams: {},
      redirectUris: [],
      allowedScopes: ["profile", "members:read"],
      accessTokenTtlSeconds: 900,
    },
    actor,
  );
  publicClient = { client_id: cursor.clientId, token_endpoint_auth_method: "none" };
  const rs = await createClient(
    { orgId: xcorpId },
    {
      name: "Reporting API",
      type: "confidential",
      presets: [],
      presetParams: {},
      redirectUris: ["https://reports.example/cb"],
      allowedScopes: ["profile"],
      accessTokenTtlSeconds: 900,
    },
    actor,
  );
  rsClient = { client_id: rs.clientId };
  rsSecret = rs.clientSecret!;
  // An Admin of XCorp: holds members::read, so consent may grant members:read (scope ∩ permission).
  session.user = await userByEmail(db, "admin@xcorp.example");
});

const opts = {
  // oauth4webapi hands fetch a body type wider than RequestInit's; it is a string or URLSearchParams here.
  [oauth.customFetch]: (
    url: string,
    init: { body?: unknown; headers?: HeadersInit; method?: string; redirect?: RequestRedirect },
  ) => router.fetch(url, init as RequestInit),
  [oauth.allowInsecureRequests]: true,
} as const;

describe("oauth4webapi (a strict general-purpose client) as an outsider", () => {
  it("runs discovery, PKCE code flow with iss check, RFC 9068 token validation, refresh, introspection and revocation", async () => {
    // RFC 9728 then RFC 8414 discovery, validated strictly.
    const rs = await oauth.processResourceDiscoveryResponse(
      new URL(RESOURCE),
      await oauth.resourceDiscoveryRequest(new URL(RESOURCE), opts),
    );
    expect(rs.authorization_servers).toEqual([BASE]);
    const issuer = new URL(rs.authorization_servers![0]!);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...opts, algorithm: "oauth2" }),
    );
    expect(as.authorization_response_iss_parameter_supported).toBe(true);

    // Authorization request with PKCE S256 and a resource indicator; the browser approves.
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authUrl = new URL(as.authorization_endpoint!);
    for (const [k, v] of Object.entries({
      client_id: publicClient.client_id,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: "profile members:read",
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      resource: RESOURCE,
    })) {
      authUrl.searchParams.set(k, v);
    }
    const consent = new URL((await router.fetch(authUrl)).headers.get("location")!, BASE);
    const decided = await router.fetch(`${BASE}/oauth/decision`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
      body: new URLSearchParams({
        request: consent.searchParams.get("request")!,
        decision: "approve",
        org: xcorpId,
      }),
    });
    const callback = new URL(decided.headers.get("location")!);
    const params = oauth.validateAuthResponse(as, publicClient, callback, state); // checks iss (RFC 9207) and state

    // Token request and strict response processing.
    const tokenRes = await oauth.authorizationCodeGrantRequest(
      as,
      publicClient,
      oauth.None(),
      params,
      REDIRECT,
      verifier,
      { ...opts, additionalParameters: { resource: RESOURCE } },
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, publicClient, tokenRes);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.scope).toBe("profile members:read");

    // RFC 9068 JWT access token validation, as a resource server would do it.
    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request(RESOURCE, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      RESOURCE,
      opts,
    );
    expect(claims).toMatchObject({
      iss: BASE,
      aud: RESOURCE,
      client_id: publicClient.client_id,
      scope: "profile members:read",
    });

    // The MCP server accepts it.
    const call = () =>
      oauth.protectedResourceRequest(
        tokens.access_token,
        "POST",
        new URL(RESOURCE),
        new Headers({ "content-type": "application/json", accept: "application/json, text/event-stream" }),
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "whoami", arguments: {} },
        }),
        opts,
      );
    expect((await call()).status).toBe(200);

    // Refresh rotates the refresh token.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      publicClient,
      await oauth.refreshTokenGrantRequest(as, publicClient, oauth.None(), tokens.refresh_token!, opts),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    // Introspection by a confidential resource server.
    const introspect = async (t: string) =>
      oauth.processIntrospectionResponse(
        as,
        rsClient,
        await oauth.introspectionRequest(as, rsClient, oauth.ClientSecretBasic(rsSecret), t, opts),
      );
    expect(await introspect(refreshed.access_token)).toMatchObject({
      active: true,
      client_id: publicClient.client_id,
      org_id: xcorpId,
    });

    // Revocation ends the grant: the old access token and the new one are both dead.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, publicClient, oauth.None(), refreshed.refresh_token!, opts),
    );
    expect((await introspect(refreshed.access_token)).active).toBe(false);
    const refused = await call().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = (refused as oauth.WWWAuthenticateChallengeError).cause[0]!;
    expect(challenge.scheme).toBe("bearer");
    expect(challenge.parameters).toMatchObject({
      error: "invalid_token",
      resource_metadata: `${BASE}/.well-known/oauth-protected-resource/api/mcp`,
    });
    expect((refused as oauth.WWWAuthenticateChallengeError).response.status).toBe(401);
  });
});

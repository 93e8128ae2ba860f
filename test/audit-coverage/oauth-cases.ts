import { eq } from "drizzle-orm";
import { oauthGrants, orgs, users } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import type { CoverageCase } from "./cases";
import { ORIGIN } from "./harness";

const RESOURCE = `${ORIGIN}/api/mcp`;
const PKCE = {
  verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
  challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
};
const FORM = { "content-type": "application/x-www-form-urlencoded" };
type Action = (...args: unknown[]) => Promise<{ ok: boolean }>;

async function idOf(table: "users" | "orgs", key: string): Promise<string> {
  const db = getDb();
  const [row] =
    table === "users"
      ? await db.select({ id: users.id }).from(users).where(eq(users.email, key))
      : await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, key));
  if (!row) throw new Error(`no ${table} ${key}`);
  return row.id;
}

/** A client of XCorp (set up outside the counted run). */
async function xcorpClient(type: "public" | "confidential" = "public") {
  const { createClient } = await import("@/lib/oauth/client-admin");
  const orgId = await idOf("orgs", "xcorp");
  const adminId = await idOf("users", "admin@xcorp.example");
  return createClient(
    { orgId },
    {
      name: `Coverage ${type}`,
      type,
      presets: ["claude-code"],
      presetParams: {},
      redirectUris: [],
      allowedScopes: ["profile", "members:read"],
      accessTokenTtlSeconds: 600,
    },
    { user: { id: adminId, email: "admin@xcorp.example" }, context: systemContext() },
  );
}

/** A grant of john@xcorp for a fresh client, with a refresh and an access token. */
async function johnsGrant() {
  const { clientId } = await xcorpClient();
  const { createRefreshToken } = await import("@/lib/oauth/refresh-tokens");
  const { issueAccessToken } = await import("@/lib/oauth/tokens");
  const db = getDb();
  const userId = await idOf("users", "john@xcorp.example");
  const orgId = await idOf("orgs", "xcorp");
  const [g] = await db
    .insert(oauthGrants)
    .values({ clientId, userId, orgId, scopes: ["profile", "members:read"], resource: RESOURCE })
    .returning({ id: oauthGrants.id });
  const refresh = await createRefreshToken(db, {
    grantId: g!.id,
    clientId,
    scopes: ["profile", "members:read"],
  });
  const { token } = await issueAccessToken({
    userId,
    orgId,
    clientId,
    grantId: g!.id,
    scopes: ["profile", "members:read"],
    resource: RESOURCE,
    ttlSeconds: 600,
  });
  return { clientId, grantId: g!.id, userId, refresh, access: token };
}

async function expectOk(res: Response | Promise<Response>) {
  const r = await res;
  if (r.status >= 400) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  await r.arrayBuffer();
}

async function expectAction(p: Promise<{ ok: boolean }>) {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r));
}

const clientForm = {
  name: "Coverage form",
  type: "confidential",
  presets: ["cursor"],
  presetParams: {},
  redirectUris: [],
  allowedScopes: ["profile"],
  accessTokenTtlSeconds: 900,
};

/** Audit coverage of the OAuth server, the MCP server and the client / connected-apps console. */
export const OAUTH_COVERAGE_CASES: Record<string, CoverageCase> = {
  "app/oauth/decision/route.ts POST": {
    action: "oauth.consent_granted",
    setup: async ({ state, as }) => {
      const { clientId } = await xcorpClient();
      const { sealConsentRequest } = await import("@/lib/oauth/consent-request");
      state.sealed = await sealConsentRequest(
        {
          clientId,
          redirectUri: "http://localhost:4000/callback",
          scopes: ["profile"],
          state: "s",
          codeChallenge: PKCE.challenge,
          resource: RESOURCE,
        },
        "coverage",
      );
      state.org = await idOf("orgs", "xcorp");
      await as("john@xcorp.example");
    },
    run: async ({ entry, call, state }) => {
      const res = await call(entry, "/oauth/decision", {
        method: "POST",
        headers: FORM,
        body: new URLSearchParams({
          request: state.sealed!,
          decision: "approve",
          org: state.org!,
        }).toString(),
      });
      if (res.status !== 303 || !res.headers.get("location")?.includes("code="))
        throw new Error(`HTTP ${res.status}`);
    },
  },
  "app/oauth/token/route.ts POST": {
    action: "oauth.token_issued",
    setup: async ({ state }) => {
      const { clientId } = await xcorpClient();
      const { createCode } = await import("@/lib/oauth/codes");
      const db = getDb();
      const [g] = await db
        .insert(oauthGrants)
        .values({
          clientId,
          userId: await idOf("users", "john@xcorp.example"),
          orgId: await idOf("orgs", "xcorp"),
          scopes: ["profile"],
          resource: RESOURCE,
        })
        .returning({ id: oauthGrants.id });
      state.client = clientId;
      state.code = await createCode(db, {
        grantId: g!.id,
        clientId,
        redirectUri: "http://localhost:4000/callback",
        codeChallenge: PKCE.challenge,
        scopes: ["profile"],
        resource: RESOURCE,
      });
    },
    run: async ({ entry, call, state }) => {
      const body = new URLSearchParams({
        grant_type: "authorization_code",
        code: state.code!,
        client_id: state.client!,
        redirect_uri: "http://localhost:4000/callback",
        code_verifier: PKCE.verifier,
      });
      await expectOk(call(entry, "/oauth/token", { method: "POST", headers: FORM, body: body.toString() }));
    },
  },
  "app/oauth/revoke/route.ts POST": {
    action: "oauth.grant_revoked",
    setup: async ({ state }) => void Object.assign(state, await johnsGrant()),
    run: async ({ entry, call, state }) => {
      await expectOk(
        call(entry, "/oauth/revoke", {
          method: "POST",
          headers: FORM,
          body: new URLSearchParams({ token: state.refresh!, client_id: state.clientId! }).toString(),
        }),
      );
    },
  },
  "app/oauth/introspect/route.ts POST": {
    action: null, // reads only
    setup: async ({ state }) => {
      const rs = await xcorpClient("confidential");
      Object.assign(state, await johnsGrant(), { rs: rs.clientId, secret: rs.clientSecret! });
    },
    run: async ({ entry, call, state }) => {
      const basic = Buffer.from(`${state.rs}:${state.secret}`).toString("base64");
      const res = await call(entry, "/oauth/introspect", {
        method: "POST",
        headers: { ...FORM, authorization: `Basic ${basic}` },
        body: new URLSearchParams({ token: state.access! }).toString(),
      });
      if (!((await res.json()) as { active: boolean }).active) throw new Error("not active");
    },
  },
  "app/oauth/register/route.ts POST": {
    action: "oauth_client.registered",
    setup: async () => {
      const { setDynamicRegistrationEnabled } = await import("@/lib/oauth/settings");
      await setDynamicRegistrationEnabled(getDb(), true);
    },
    run: async ({ entry, call }) => {
      await expectOk(
        call(entry, "/oauth/register", {
          method: "POST",
          json: {
            client_name: "Coverage DCR",
            redirect_uris: ["http://127.0.0.1/callback"],
            token_endpoint_auth_method: "none",
          },
        }),
      );
    },
  },
  "app/api/mcp/route.ts POST": {
    action: "mcp.tool_called",
    setup: async ({ state }) => void Object.assign(state, await johnsGrant()),
    run: async ({ entry, call, state }) => {
      await expectOk(
        call(entry, "/api/mcp", {
          method: "POST",
          headers: { authorization: `Bearer ${state.access}`, accept: "application/json, text/event-stream" },
          json: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: {} } },
        }),
      );
    },
  },
  "app/(console)/orgs/[slug]/clients/actions.ts createOrgClientAction": {
    action: "oauth_client.created",
    run: async ({ entry, as }) => {
      await as("admin@xcorp.example");
      await expectAction((entry as Action)("xcorp", clientForm));
    },
  },
  "app/(console)/orgs/[slug]/clients/actions.ts updateOrgClientAction": {
    action: "oauth_client.updated",
    setup: async ({ state }) => void (state.id = (await xcorpClient()).clientId),
    run: async ({ entry, as, state }) => {
      await as("admin@xcorp.example");
      await expectAction(
        (entry as Action)("xcorp", { id: state.id, form: { ...clientForm, name: "Renamed" } }),
      );
    },
  },
  "app/(console)/orgs/[slug]/clients/actions.ts setOrgClientDisabledAction": {
    action: "oauth_client.disabled",
    setup: async ({ state }) => void (state.id = (await xcorpClient()).clientId),
    run: async ({ entry, as, state }) => {
      await as("admin@xcorp.example");
      await expectAction((entry as Action)("xcorp", { id: state.id, disabled: true }));
    },
  },
  "app/(console)/orgs/[slug]/clients/actions.ts deleteOrgClientAction": {
    action: "oauth_client.deleted",
    setup: async ({ state }) => void (state.id = (await xcorpClient()).clientId),
    run: async ({ entry, as, state }) => {
      await as("admin@xcorp.example");
      await expectAction((entry as Action)("xcorp", { id: state.id }));
    },
  },
  "app/(console)/orgs/[slug]/connected-apps/actions.ts revokeOrgGrantAction": {
    action: "oauth.grants_revoked",
    setup: async ({ state }) => void Object.assign(state, await johnsGrant()),
    run: async ({ entry, as, state }) => {
      await as("admin@xcorp.example");
      await expectAction((entry as Action)("xcorp", { grantId: state.grantId }));
    },
  },
  "app/(console)/orgs/[slug]/connected-apps/actions.ts revokeOrgUserGrantsAction": {
    action: "oauth.grants_revoked",
    setup: async ({ state }) => void Object.assign(state, await johnsGrant()),
    run: async ({ entry, as, state }) => {
      await as("admin@xcorp.example");
      await expectAction((entry as Action)("xcorp", { userId: state.userId }));
    },
  },
  "app/(console)/orgs/[slug]/connected-apps/actions.ts revokeOrgClientGrantsAction": {
    action: "oauth.grants_revoked",
    setup: async ({ state }) => void Object.assign(state, await johnsGrant()),
    run: async ({ entry, as, state }) => {
      await as("admin@xcorp.example");
      await expectAction((entry as Action)("xcorp", { clientId: state.clientId }));
    },
  },
  "app/(console)/orgs/[slug]/connected-apps/actions.ts setOrgClientBlockedAction": {
    action: "oauth_client.blocked",
    setup: async ({ state }) => void Object.assign(state, await johnsGrant()),
    run: async ({ entry, as, state }) => {
      await as("admin@xcorp.example");
      await expectAction((entry as Action)("xcorp", { clientId: state.clientId, blocked: true }));
    },
  },
  "app/(console)/account/connected-apps/actions.ts revokeOwnGrantAction": {
    action: "oauth.grant_revoked",
    setup: async ({ state }) => void Object.assign(state, await johnsGrant()),
    run: async ({ entry, as, state }) => {
      await as("john@xcorp.example");
      await expectAction((entry as Action)({ grantId: state.grantId }));
    },
  },
  "app/(console)/admin/clients/actions.ts createPlatformClientAction": {
    action: "oauth_client.created",
    run: async ({ entry, as }) => {
      await as("admin@gatehouse.example");
      await expectAction((entry as Action)(clientForm));
    },
  },
  "app/(console)/admin/clients/actions.ts updatePlatformClientAction": {
    action: "oauth_client.updated",
    setup: async ({ state }) => void (state.id = (await xcorpClient()).clientId),
    run: async ({ entry, as, state }) => {
      await as("admin@gatehouse.example");
      await expectAction(
        (entry as Action)({ id: state.id, form: { ...clientForm, name: "Platform renamed" } }),
      );
    },
  },
  "app/(console)/admin/clients/actions.ts setPlatformClientDisabledAction": {
    action: "oauth_client.disabled",
    setup: async ({ state }) => void (state.id = (await xcorpClient()).clientId),
    run: async ({ entry, as, state }) => {
      await as("admin@gatehouse.example");
      await expectAction((entry as Action)({ id: state.id, disabled: true }));
    },
  },
  "app/(console)/admin/clients/actions.ts deletePlatformClientAction": {
    action: "oauth_client.deleted",
    setup: async ({ state }) => void (state.id = (await xcorpClient()).clientId),
    run: async ({ entry, as, state }) => {
      await as("admin@gatehouse.example");
      await expectAction((entry as Action)({ id: state.id }));
    },
  },
  "app/(console)/admin/clients/actions.ts setDynamicRegistrationAction": {
    action: "platform.settings_changed",
    run: async ({ entry, as }) => {
      await as("admin@gatehouse.example");
      await expectAction((entry as Action)({ enabled: true }));
    },
  },
};

import { callRoute, loadEntry, ORIGIN } from "./harness";
import { OAUTH_COVERAGE_CASES } from "./oauth-cases";

export interface CoverageContext {
  /** The exported handler or server action under test. */
  entry: unknown;
  /** Sign in as a demo user (by email) for the wrappers' getCurrentUser; null signs out. */
  as: (email: string | null) => Promise<void>;
  call: typeof callRoute;
  /** Values a setup step hands to the counted run. */
  state: Record<string, string>;
}

export interface CoverageCase {
  /** The one event the call must leave (action name); null for a POST that only reads (e.g. token introspection). */
  action: string | null;
  /** Not counted: preparation, e.g. opening a session to sign out of. */
  setup?: (ctx: CoverageContext) => Promise<void>;
  /** Counted: must leave exactly one audit event with `action`. Throw (or expect) on failure. */
  run: (ctx: CoverageContext) => Promise<void>;
}

async function ok(res: Response | Promise<Response>) {
  const r = await res;
  if (r.status >= 400) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  await r.arrayBuffer(); // drain streamed bodies
  return r;
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** Auth.js sign-in over HTTP (csrf, then the credentials callback), as the login form does. */
async function authJsSignIn(email: string, password: string): Promise<string[]> {
  const nextauth = await loadEntry("app/api/auth/[...nextauth]/route.ts GET");
  const csrf = await callRoute(nextauth, "/api/auth/csrf", { method: "GET", params: { nextauth: ["csrf"] as never } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const post = await loadEntry("app/api/auth/[...nextauth]/route.ts POST");
  const res = await callRoute(post, "/api/auth/callback/password", {
    method: "POST",
    params: { nextauth: ["callback", "password"] as never },
    headers: { cookie: jar.join("; "), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${ORIGIN}/` }).toString(),
  });
  if (res.status >= 400) throw new Error(`sign-in failed: HTTP ${res.status}`);
  return [...jar, ...cookiesOf(res)];
}

const DEMO_PASSWORD = "gatehouse-demo-2026";

/**
 * How each mutating entry point is exercised. A new POST/PUT/PATCH/DELETE route or server action
 * without a case here fails the coverage test: add one that performs a real, successful call.
 */
export const COVERAGE_CASES: Record<string, CoverageCase> = {
  "app/api/auth/[...nextauth]/route.ts POST": {
    action: "login.succeeded",
    run: async () => {
      const jar = await authJsSignIn("member@xcorp.example", DEMO_PASSWORD);
      if (!jar.some((c) => c.includes("session-token"))) throw new Error("no session cookie");
    },
  },
  "app/(auth)/login/actions.ts signInAction": {
    // The action calls Auth.js signIn("password"), which runs this same credentials callback.
    action: "login.succeeded",
    run: async () => void (await authJsSignIn("owner@xcorp.example", DEMO_PASSWORD)),
  },
  "app/(console)/actions.ts signOutAction": {
    // The action calls Auth.js signOut(), which runs the signout endpoint and its signOut event.
    action: "session.revoked",
    setup: async ({ state }) => {
      state.jar = (await authJsSignIn("john@xcorp.example", DEMO_PASSWORD)).join("; ");
    },
    run: async ({ state }) => {
      const nextauth = await loadEntry("app/api/auth/[...nextauth]/route.ts GET");
      const csrf = await callRoute(nextauth, "/api/auth/csrf", { method: "GET", params: { nextauth: ["csrf"] as never }, headers: { cookie: state.jar! } });
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const post = await loadEntry("app/api/auth/[...nextauth]/route.ts POST");
      const res = await callRoute(post, "/api/auth/signout", {
        method: "POST",
        params: { nextauth: ["signout"] as never },
        headers: { cookie: state.jar!, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, callbackUrl: `${ORIGIN}/login` }).toString(),
      });
      if (res.status >= 400) throw new Error(`sign-out failed: HTTP ${res.status}`);
    },
  },
  "app/(console)/account/actions.ts signOutOtherSessionsAction": {
    action: "session.revoked_all",
    run: async ({ entry, as }) => {
      await as("admin@techcorp.example");
      const r = await (entry as (x: unknown) => Promise<{ ok: boolean }>)({});
      if (!r.ok) throw new Error(JSON.stringify(r));
    },
  },
  "app/(console)/orgs/[slug]/settings/actions.ts updateOrgSettingsAction": {
    action: "org.settings_changed",
    run: async ({ entry, as }) => {
      await as("owner@xcorp.example");
      const r = await (entry as (slug: string, x: unknown) => Promise<{ ok: boolean }>)("xcorp", { name: "XCorp Inc" });
      if (!r.ok) throw new Error(JSON.stringify(r));
    },
  },
  "app/api/account/sessions/route.ts DELETE": {
    action: "session.revoked_all",
    run: async ({ entry, as, call }) => {
      await as("member@techcorp.example");
      await ok(call(entry, "/api/account/sessions?keepCurrent=1", { method: "DELETE" }));
    },
  },
  "app/api/orgs/[slug]/route.ts PATCH": {
    action: "org.settings_changed",
    run: async ({ entry, as, call }) => {
      await as("owner@techcorp.example");
      await ok(call(entry, "/api/orgs/techcorp", { method: "PATCH", params: { slug: "techcorp" }, json: { name: "TechCorp Ltd" } }));
    },
  },
  "app/api/orgs/[slug]/invitations/route.ts POST": {
    action: "invitation.created",
    run: async ({ entry, as, call }) => {
      await as("admin@xcorp.example");
      await ok(call(entry, "/api/orgs/xcorp/invitations", { method: "POST", params: { slug: "xcorp" }, json: { email: "new.hire@xcorp.example", roleKey: "member" } }));
    },
  },
  "app/api/orgs/[slug]/audit/export/route.ts POST": {
    action: "audit.exported",
    run: async ({ entry, as, call }) => {
      await as("admin@xcorp.example");
      await ok(call(entry, "/api/orgs/xcorp/audit/export?format=csv", { method: "POST", params: { slug: "xcorp" } }));
    },
  },
  "app/api/orgs/[slug]/audit/verify/route.ts POST": {
    action: "audit.chain_verified",
    run: async ({ entry, as, call }) => {
      await as("admin@xcorp.example");
      await ok(call(entry, "/api/orgs/xcorp/audit/verify", { method: "POST", params: { slug: "xcorp" } }));
    },
  },
  "app/api/audit/access/route.ts POST": {
    action: "support.audit_viewed",
    run: async ({ entry, as, call }) => {
      await as("support@gatehouse.example");
      await ok(call(entry, "/api/audit/access", { method: "POST", json: { org: "techcorp", reason: "SUP-1 coverage" } }));
    },
  },
  "app/api/audit/export/route.ts POST": {
    action: "support.audit_exported",
    setup: async ({ as, call, state }) => {
      await as("support@gatehouse.example");
      const res = await call(await loadEntry("app/api/audit/access/route.ts POST"), "/api/audit/access", { method: "POST", json: { org: "xcorp", reason: "SUP-2" } });
      state.token = ((await res.json()) as { token: string }).token;
    },
    run: async ({ entry, call, state }) => {
      await ok(call(entry, "/api/audit/export?format=ndjson", { method: "POST", headers: { "x-audit-access": state.token! } }));
    },
  },
  "app/api/audit/verify/route.ts POST": {
    action: "audit.chain_verified",
    setup: async ({ as, call, state }) => {
      await as("support@gatehouse.example");
      const res = await call(await loadEntry("app/api/audit/access/route.ts POST"), "/api/audit/access", { method: "POST", json: { org: "xcorp", reason: "SUP-3" } });
      state.token = ((await res.json()) as { token: string }).token;
    },
    run: async ({ entry, call, state }) => {
      await ok(call(entry, "/api/audit/verify", { method: "POST", headers: { "x-audit-access": state.token! } }));
    },
  },
  ...OAUTH_COVERAGE_CASES,
};

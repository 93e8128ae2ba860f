import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { ClientsPage } from "./pages/oauth-pages";
import { type AppServer, freshDatabase, PRODUCTION_SECRETS, startAppServer } from "./support/app-server";
import { authorizeInBrowser, LOOPBACK_CALLBACK } from "./support/oauth-flow";
import { startTcpProxy } from "./support/tcp-proxy";

// How an install behaves for its operator: refusing to start when misconfigured, several nodes on
// one database, and a database that goes away and comes back.

const basePort = Number(process.env.E2E_PORT ?? 3100) + 60;
const SHARED = { APP_ENV: "test", AUTH_SECRET: PRODUCTION_SECRETS.AUTH_SECRET, ENCRYPTION_KEY: PRODUCTION_SECRETS.ENCRYPTION_KEY, SEED_DEMO: "true" };
const mcpCall = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: {} } };

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.describe("operating Gatehouse", () => {
  test("in production, missing or malformed secrets end the process with a non-zero code naming them", async () => {
    const database = await freshDatabase("pglite");
    try {
      const cases: [Record<string, string>, string[]][] = [
        [{ APP_ENV: "production", APP_URL: "" }, ["AUTH_SECRET", "ENCRYPTION_KEY", "APP_URL", "AUDIT_SIGNING_KEY"]],
        [{ ...PRODUCTION_SECRETS, ENCRYPTION_KEY: "not-hex" }, ["ENCRYPTION_KEY: must be 64 hex characters"]],
      ];
      for (const [env, names] of cases) {
        const server = await startAppServer(basePort, { ...database.env, ...env }, { waitHealthy: false });
        const code = await Promise.race([server.exited, new Promise<"running">((r) => setTimeout(() => r("running"), 60_000))]);
        await server.stop();
        expect(code, server.output()).not.toBe("running");
        expect(code).not.toBe(0);
        expect(server.output()).toContain("cannot start");
        for (const name of names) expect(server.output()).toContain(name);
      }
    } finally {
      await database.drop();
    }
  });

  test.describe("on one PostgreSQL database", () => {
    test.skip(!process.env.DATABASE_URL, "needs DATABASE_URL (a PostgreSQL server)");
    let database: Awaited<ReturnType<typeof freshDatabase>>;
    const servers: AppServer[] = [];

    test.beforeAll(async () => {
      database = await freshDatabase("postgres");
    });
    test.afterAll(async () => {
      for (const s of servers) await s.stop();
      await database?.drop();
    });

    test("two nodes share sessions and access tokens; a node with another ENCRYPTION_KEY refuses to start", async ({ browser }) => {
      // Behind a load balancer every node has the same public origin (APP_URL): A's here.
      const a = await startAppServer(basePort + 1, { ...SHARED, ...database.env });
      servers.push(a);
      const b = await startAppServer(basePort + 2, { ...SHARED, ...database.env, APP_URL: a.url });
      servers.push(b);

      // Signed in on A; the same cookie opens the console on B (cookies do not depend on the port).
      const admin = await browser.newContext({ baseURL: a.url });
      const page = await admin.newPage();
      await new LoginPage(page).goto();
      await new LoginPage(page).signIn("admin@xcorp.example");
      await page.waitForURL(/\/orgs\/xcorp/);
      await page.goto(`${b.url}/orgs/xcorp`);
      await expect(page.getByTestId("org-name")).toHaveText("XCorp");

      // A client registered on A; authorized on B; the code exchanged on A; the token used on B.
      const clientId = await new ClientsPage(page).goto("xcorp").then(() => new ClientsPage(page).registerWithPresets("Two nodes", ["Cursor"]));
      const { code, verifier } = await authorizeInBrowser(admin, b.url, clientId, "profile", a.url);
      const token = await fetch(`${a.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: LOOPBACK_CALLBACK, client_id: clientId, code_verifier: verifier, resource: `${a.url}/api/mcp` }),
      });
      expect(token.status).toBe(200);
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      const call = await fetch(`${b.url}/api/mcp`, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json, text/event-stream", "content-type": "application/json" },
        body: JSON.stringify(mcpCall),
      });
      expect(call.status).toBe(200);
      expect(await call.text()).toContain("admin@xcorp.example");
      await admin.close();

      const other = await startAppServer(basePort + 3, { ...SHARED, ...database.env, ENCRYPTION_KEY: "cd".repeat(32) }, { waitHealthy: false });
      servers.push(other);
      expect(await other.exited).not.toBe(0);
      expect(other.output()).toContain("ENCRYPTION_KEY is not the key this database was set up with");
    });

    test("the database goes away: 503 with Retry-After, no sign-out, no crash; then it recovers", async ({ browser }) => {
      const target = new URL(database.url!);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const viaProxy = new URL(database.url!);
      viaProxy.port = String(proxy.port);
      const server = await startAppServer(basePort + 4, { ...SHARED, DATABASE_URL: viaProxy.toString(), DB_ACQUIRE_TIMEOUT_MS: "1000" });
      servers.push(server);
      const context = await browser.newContext({ baseURL: server.url });
      const page = await context.newPage();
      await new LoginPage(page).goto();
      await new LoginPage(page).signIn("owner@xcorp.example");
      await page.waitForURL(/\/orgs\/xcorp/);

      proxy.down();
      const during = await Promise.all(Array.from({ length: 20 }, () => context.request.get("/api/orgs/xcorp/members")));
      for (const res of during) {
        expect(res.status()).toBe(503);
        expect(res.headers()["retry-after"]).toBeTruthy();
        expect((await res.json()).error.code).toBe("unavailable");
      }
      expect((await context.request.get("/api/health")).status()).toBe(503);
      await page.goto("/orgs/xcorp");
      await expect(page.getByTestId("temporarily-unavailable")).toBeVisible();
      expect(page.url()).not.toContain("/login");

      proxy.up();
      await expect.poll(async () => (await context.request.get("/api/health")).status(), { timeout: 30_000 }).toBe(200);
      const after = await context.request.get("/api/orgs/xcorp/members");
      expect(after.status()).toBe(200);
      await page.goto("/orgs/xcorp");
      await expect(page.getByTestId("org-name")).toHaveText("XCorp");
      expect(server.output()).not.toMatch(/uncaughtException|Unhandled/i);
      await context.close();
      await proxy.close();
    });
  });
});

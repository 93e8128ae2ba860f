import { createHash, randomBytes } from "node:crypto";
import { expect, signedInContext, test } from "./fixtures";
import { ClientsPage, ConsentPage, OrgConnectedAppsPage } from "./pages/oauth-pages";

const CURSOR_CALLBACK = "http://localhost:8787/callback";

test.describe("MCP authorization", () => {
  test("an admin registers Cursor by preset, an owner approves it, the admin revokes it, the next MCP call is refused", async ({
    browser,
    baseURL,
    request,
  }) => {
    const resource = `${baseURL}/api/mcp`;

    // 1. The tenant admin registers a client by ticking "Cursor".
    const admin = await signedInContext(browser, "admin@xcorp.example");
    const adminPage = await admin.newPage();
    const clients = new ClientsPage(adminPage);
    await clients.goto("xcorp");
    const clientId = await clients.registerWithPresets("Cursor (e2e)", ["Cursor"], ["members:read"]);
    await expect(adminPage.getByTestId("client-row-Cursor (e2e)")).toContainText(
      "cursor://anysphere.cursor-mcp/oauth/callback",
    );

    // 2. An Owner (who holds members::read) approves it on the consent screen; the callback (Cursor's
    //    local port) gets the code.
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const authorize = new URL("/oauth/authorize", baseURL);
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: clientId,
      redirect_uri: CURSOR_CALLBACK,
      scope: "profile members:read",
      state: "e2e-state",
      code_challenge: challenge,
      code_challenge_method: "S256",
      resource,
    })) {
      authorize.searchParams.set(k, v);
    }
    const member = await signedInContext(browser, "owner@xcorp.example");
    let callback: URL | null = null;
    await member.route("http://localhost:8787/**", async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: "text/plain", body: "You can close this window." });
    });
    const memberPage = await member.newPage();
    await memberPage.goto(authorize.toString());
    const consent = new ConsentPage(memberPage);
    await consent.expectClient("Cursor (e2e)");
    await expect(memberPage.getByText("See the members of the organization and their roles")).toBeVisible();
    await expect(memberPage.getByTestId("consent-redirect-host")).toHaveText("localhost:8787");
    await consent.approve();
    await expect.poll(() => callback?.searchParams.get("code") ?? null).not.toBeNull();
    const cb = callback as unknown as URL;
    expect(cb.searchParams.get("state")).toBe("e2e-state");
    expect(cb.searchParams.get("iss")).toBe(baseURL);

    // 3. The client exchanges the code and calls the MCP server.
    const tokenRes = await request.post("/oauth/token", {
      form: {
        grant_type: "authorization_code",
        code: cb.searchParams.get("code")!,
        redirect_uri: CURSOR_CALLBACK,
        client_id: clientId,
        code_verifier: verifier,
        resource,
      },
    });
    expect(tokenRes.status()).toBe(200);
    const { access_token: accessToken } = await tokenRes.json();
    const callTool = () =>
      request.post("/api/mcp", {
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
        },
        data: {
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "list_members", arguments: {} },
        },
      });
    const ok = await callTool();
    expect(ok.status()).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain("owner@xcorp.example");

    // The owner sees it among their connected apps.
    await memberPage.goto("/account/connected-apps");
    await expect(memberPage.getByTestId("grant-row-Cursor (e2e)")).toBeVisible();

    // 4. The admin revokes it in connected apps; the very next MCP call is refused.
    const connected = new OrgConnectedAppsPage(adminPage);
    await connected.goto("xcorp");
    await connected.revoke("Cursor (e2e)", "owner@xcorp.example");
    const refused = await callTool();
    expect(refused.status()).toBe(401);
    expect(refused.headers()["www-authenticate"]).toContain('error="invalid_token"');

    await admin.close();
    await member.close();
  });

  test("a Member sees on the consent screen that audit:read is not available to them, and the grant leaves it out", async ({
    browser,
    baseURL,
    request,
  }) => {
    const admin = await signedInContext(browser, "admin@xcorp.example");
    const adminPage = await admin.newPage();
    const clients = new ClientsPage(adminPage);
    await clients.goto("xcorp");
    const clientId = await clients.registerWithPresets("Auditor (e2e)", ["Cursor"], ["members:read", "audit:read"]);
    await admin.close();

    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL("/oauth/authorize", baseURL);
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: clientId,
      redirect_uri: CURSOR_CALLBACK,
      scope: "profile audit:read",
      state: "e2e-member",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      resource: `${baseURL}/api/mcp`,
    })) {
      authorize.searchParams.set(k, v);
    }
    const member = await signedInContext(browser, "member@xcorp.example");
    let callback: URL | null = null;
    await member.route("http://localhost:8787/**", async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: "text/plain", body: "ok" });
    });
    const page = await member.newPage();
    await page.goto(authorize.toString());
    await new ConsentPage(page).expectClient("Auditor (e2e)");
    const xcorp = page.getByTestId("consent-org-xcorp");
    await expect(xcorp.getByTestId("consent-unavailable")).toContainText("Search the organization's audit log (audit:read)");
    await expect(xcorp.getByTestId("consent-unavailable")).toContainText("your role Member in XCorp does not have the audit::read permission");
    await expect(xcorp.getByTestId("consent-scopes")).not.toContainText("audit:read");
    await expect(page.getByTestId("consent-lifetime")).toContainText("at most 90 days");
    await new ConsentPage(page).approve();
    await expect.poll(() => callback?.searchParams.get("code") ?? null).not.toBeNull();
    const tokenRes = await request.post("/oauth/token", {
      form: {
        grant_type: "authorization_code",
        code: (callback as unknown as URL).searchParams.get("code")!,
        redirect_uri: CURSOR_CALLBACK,
        client_id: clientId,
        code_verifier: verifier,
      },
    });
    expect((await tokenRes.json()).scope).toBe("profile");
    await member.close();
  });

  test("without a session, authorize goes through sign-in and comes back to the consent screen; deny returns access_denied", async ({
    browser,
    baseURL,
    loginPage,
    page,
  }) => {
    // A platform-wide client registered by a platform admin (VS Code preset: loopback on any port).
    const staff = await signedInContext(browser, "admin@gatehouse.example");
    const staffPage = await staff.newPage();
    await staffPage.goto("/admin/clients");
    const clientId = await new ClientsPage(staffPage).registerWithPresets("VS Code (e2e)", [
      "VS Code / GitHub Copilot",
    ]);
    await staff.close();

    const authorize = new URL("/oauth/authorize", baseURL);
    const challenge = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url");
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: clientId,
      redirect_uri: "http://127.0.0.1:40123/",
      state: "s2",
      code_challenge: challenge,
      code_challenge_method: "S256",
    })) {
      authorize.searchParams.set(k, v);
    }
    let callback: URL | null = null;
    await page.route("http://127.0.0.1:40123/**", async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, body: "ok" });
    });
    await page.goto(authorize.toString());
    await expect(page).toHaveURL(/\/login\?next=%2Foauth%2Fauthorize%3F/);
    await loginPage.signIn("member@xcorp.example");
    // Back at the same authorization request, which now shows the consent screen.
    await new ConsentPage(page).expectClient("VS Code (e2e)");
    await expect(page.getByTestId("consent-redirect-host")).toHaveText("127.0.0.1:40123");
    await page.getByRole("button", { name: "Deny" }).click();
    await expect.poll(() => callback?.searchParams.get("error") ?? null).toBe("access_denied");
    expect((callback as unknown as URL).searchParams.get("state")).toBe("s2");
  });

  test("discovery documents are JSON and the consent screen cannot be framed", async ({
    request,
    baseURL,
  }) => {
    const as = await request.get("/.well-known/oauth-authorization-server");
    expect(as.headers()["content-type"]).toContain("application/json");
    expect(await as.json()).toMatchObject({ issuer: baseURL, code_challenge_methods_supported: ["S256"] });
    const pr = await request.get("/.well-known/oauth-protected-resource/api/mcp");
    expect(await pr.json()).toMatchObject({ resource: `${baseURL}/api/mcp` });
    const consent = await request.get("/oauth/consent");
    expect(consent.headers()["x-frame-options"]).toBe("DENY");
    expect(consent.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    const mcp = await request.post("/api/mcp", { data: {} });
    expect(mcp.status()).toBe(401);
    expect(mcp.headers()["www-authenticate"]).toBe(
      `Bearer resource_metadata="${baseURL}/.well-known/oauth-protected-resource/api/mcp"`,
    );
  });
});

import { AUTH, expect, signedInContext, test } from "./fixtures";

test.describe("foundation", () => {
  test("health reports the app and its database", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ok", database: { status: "ok" } });
    expect(["pglite", "postgres"]).toContain(body.database.kind);
  });

  test("a seeded user signs in and sees the console shell", async ({ page, loginPage, consolePage }) => {
    await page.goto("/orgs/xcorp");
    await expect(page).toHaveURL(/\/login\?next=%2Forgs%2Fxcorp/);
    await loginPage.signIn("admin@xcorp.example");
    await expect(page).toHaveURL(/\/orgs\/xcorp$/);
    await consolePage.expectShell("XCorp");
    await expect(page.getByRole("list", { name: "Your permissions" })).toContainText("members::manage");
    await consolePage.signOut();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/orgs/xcorp");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a wrong password and an unknown email read the same", async ({ page, loginPage }) => {
    await loginPage.goto();
    await loginPage.signIn("owner@xcorp.example", "not-the-password-at-all");
    await loginPage.expectError("do not match");
    const known = await page.getByTestId("sign-in-error").textContent();
    await loginPage.signIn("nobody@xcorp.example", "not-the-password-at-all");
    await loginPage.expectError("do not match");
    expect(await page.getByTestId("sign-in-error").textContent()).toBe(known);
    await expect(page).toHaveURL(/\/login/);
  });

  test("signing out other sessions ends them on their next request", async ({ browser }) => {
    const first = await signedInContext(browser, "member@techcorp.example");
    const second = await signedInContext(browser, "member@techcorp.example");
    expect((await second.request.get("/api/account/sessions")).status()).toBe(200);

    const page = await first.newPage();
    await page.goto("/account");
    await expect(page.getByTestId("sessions").getByRole("row")).toHaveCount(3); // header + 2 sessions
    await page.getByRole("button", { name: "Sign out other sessions" }).click();
    await page.getByRole("alertdialog", { name: "Sign out every other session?" }).getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(page.getByText(/Signed out 1 other session/)).toBeVisible();

    const refused = await second.request.get("/api/account/sessions");
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "unauthenticated" } });
    const secondPage = await second.newPage();
    await secondPage.goto("/account");
    await expect(secondPage).toHaveURL(/\/login/);
    // The session that did it is still fine.
    expect((await first.request.get("/api/account/sessions")).status()).toBe(200);
    await first.close();
    await second.close();
  });
});

test.describe("API errors", () => {
  test.use({ storageState: AUTH.xcorpOwner });
  const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
  const headers = { "content-type": "application/json", origin: baseURL };

  test("bad JSON, wrong types and unknown fields get a 4xx with the error shape, and change nothing", async ({ request }) => {
    const before = await (await request.get("/api/orgs/xcorp")).json();
    for (const [data, code] of [
      [Buffer.from("{not json"), "invalid_json"],
      ['{"name": 42}', "invalid_input"],
      ['{"name": "XCorp", "slug": "evil"}', "invalid_input"],
      ['{"name": "x"}', "invalid_input"],
    ] as const) {
      const res = await request.patch("/api/orgs/xcorp", { headers, data });
      expect(res.status(), String(data)).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe("string");
      // Plain words naming the field, not zod's wording or schema paths.
      if (code === "invalid_input") expect(body.error.message).not.toMatch(/Invalid input|Invalid option|Too (small|big)|expected \w+, received/);
    }
    const tooLarge = await request.patch("/api/orgs/xcorp", { headers, data: JSON.stringify({ name: "x".repeat(100_000) }) });
    expect(tooLarge.status()).toBe(413);
    const wrongType = await request.patch("/api/orgs/xcorp", { headers: { ...headers, "content-type": "text/plain" }, data: "name=x" });
    expect(wrongType.status()).toBe(415);
    const after = await (await request.get("/api/orgs/xcorp")).json();
    expect(after.org.name).toBe(before.org.name);
  });

  test("another org's API looks like nothing is there, and cross-site writes are refused", async ({ request }) => {
    const other = await request.patch("/api/orgs/techcorp", { headers, data: { name: "Pwned" } });
    expect(other.status()).toBe(404);
    const crossSite = await request.patch("/api/orgs/xcorp", {
      headers: { ...headers, origin: "https://evil.example" },
      data: { name: "Pwned" },
    });
    expect(crossSite.status()).toBe(403);
    const ok = await request.patch("/api/orgs/xcorp", { headers, data: { name: "XCorp Inc" } });
    expect(ok.status()).toBe(200);
    expect((await ok.json()).org.name).toBe("XCorp Inc");
    await request.patch("/api/orgs/xcorp", { headers, data: { name: "XCorp" } });
  });

  test("anonymous callers get 401", async ({ playwright }) => {
    const anon = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const res = await anon.patch("/api/orgs/xcorp", { headers, data: { name: "Valid Name" } });
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
    await anon.dispose();
  });

  test("a member without org::manage gets 403", async ({ browser }) => {
    const member = await signedInContext(browser, "member@xcorp.example");
    const res = await member.request.patch("/api/orgs/xcorp", { headers, data: { name: "Nope" } });
    expect(res.status()).toBe(403);
    await member.close();
  });
});

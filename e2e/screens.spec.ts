import type { Page, TestInfo } from "@playwright/test";
import { AUTH, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { attachScreenshot, overflowing, SCHEMES, VIEWPORTS } from "./support/screens";

// Every console page at a phone's width (390 px) and a desktop's (1440 px), light and dark: nothing
// may stick out of the screen except inside a marked scroll container (a table that scrolls
// sideways). Screenshots are attached to the test report for a person to look at; axe checks each
// state too (the page fixture). The sign-in states: e2e/sign-in-screens.spec.ts.

const OWNER_PAGES = ["/orgs/xcorp", "/orgs/xcorp/members", "/orgs/xcorp/roles", "/orgs/xcorp/clients", "/orgs/xcorp/connected-apps", "/orgs/xcorp/audit", "/orgs/xcorp/settings", "/account", "/account/connected-apps"];
const ADMIN_PAGES = ["/admin", "/admin/orgs", "/admin/orgs/xcorp", "/admin/mappings", "/admin/mappings/:first", "/admin/roles", "/admin/api-keys", "/admin/clients", "/admin/explain", "/dev/mailbox"];
const SUPPORT_PAGES = ["/support/audit"];

async function signIn(page: Page, email: string) {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(email);
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  // The sign-in ends with a client-side redirect: let it land before navigating on.
  await expect(page.locator("main#main").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
}

async function visitAll(page: Page, paths: string[], testInfo: TestInfo) {
  for (const viewport of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      // Before the first page loads (about:blank has no theme): the class is checked after each load.
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of paths) {
        let target = path;
        if (path === "/admin/mappings/:first") {
          await page.goto("/admin/mappings");
          target = (await page.locator('a[href^="/admin/mappings/"]').first().getAttribute("href"))!;
        }
        await page.goto(target);
        await expect(page.getByTestId("content-skeleton")).toHaveCount(0);
        await expect(page.locator("main")).toBeVisible();
        await page.waitForLoadState("networkidle");
        await expect(page.locator("html")).toHaveClass(new RegExp(scheme === "dark" ? "\\bdark\\b" : "^(?!.*\\bdark\\b)"));
        expect(await overflowing(page), `${target} at ${viewport.name}px, ${scheme}`).toEqual([]);
        await attachScreenshot(page, testInfo, `${target.replace(/\//g, "_")}-${viewport.name}-${scheme}`);
      }
    }
  }
}

test.describe("console screens at 390 and 1440 px, light and dark", () => {
  test.describe.configure({ timeout: 300_000 });

  test.describe("as the XCorp owner", () => {
    test.use({ storageState: AUTH.xcorpOwner });
    test("org and account pages", async ({ page }, testInfo) => {
      await visitAll(page, OWNER_PAGES, testInfo);
    });
  });

  test("platform admin pages", async ({ page }, testInfo) => {
    await signIn(page, "admin@gatehouse.example");
    await visitAll(page, ADMIN_PAGES, testInfo);
  });

  test("support pages", async ({ page }, testInfo) => {
    await signIn(page, "support@gatehouse.example");
    await visitAll(page, SUPPORT_PAGES, testInfo);
  });
});

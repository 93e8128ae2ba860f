import type { Page } from "@playwright/test";
import { AUTH, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

// Every console page at a phone's width (390 px) and a desktop's (1440 px), light and dark: nothing
// may stick out of the screen except inside a marked scroll container (a table that scrolls
// sideways). Screenshots land in test-results/ for a person to look at; axe checks each state too
// (the page fixture).

const VIEWPORTS = [
  { name: "390", width: 390, height: 844 },
  { name: "1440", width: 1440, height: 900 },
] as const;
const SCHEMES = ["light", "dark"] as const;

const OWNER_PAGES = ["/orgs/xcorp", "/orgs/xcorp/members", "/orgs/xcorp/roles", "/orgs/xcorp/clients", "/orgs/xcorp/connected-apps", "/orgs/xcorp/audit", "/orgs/xcorp/settings", "/account", "/account/connected-apps"];
const ADMIN_PAGES = ["/admin", "/admin/orgs", "/admin/orgs/xcorp", "/admin/mappings", "/admin/mappings/:first", "/admin/roles", "/admin/api-keys", "/admin/clients", "/admin/explain", "/dev/mailbox"];
const SUPPORT_PAGES = ["/support/audit"];

/** Elements that end past the right edge (or start before the left), outside marked scroll containers. */
async function overflowing(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const out: string[] = [];
    const doc = document.documentElement.scrollWidth;
    if (doc > width) out.push(`document is ${doc}px wide in a ${width}px window`);
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      if (el.closest("[data-scroll-container]")) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue; // visually hidden (sr-only, hidden native selects)
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none" || style.position === "fixed") continue;
      if (r.right > width + 1 || r.left < -1) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.dataset.slot ? `[data-slot=${el.dataset.slot}]` : ""}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ""}`;
        out.push(`${name} spans ${Math.round(r.left)}–${Math.round(r.right)}px: "${(el.textContent ?? "").trim().slice(0, 40)}"`);
      }
      if (out.length > 10) break;
    }
    return out;
  });
}

async function signIn(page: Page, email: string) {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(email);
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  // The sign-in ends with a client-side redirect: let it land before navigating on.
  await expect(page.locator("main#main").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
}

async function visitAll(page: Page, paths: string[], shots: (name: string) => string) {
  for (const viewport of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
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
        await page.screenshot({ path: shots(`${target.replace(/\//g, "_")}-${viewport.name}-${scheme}.png`), fullPage: true });
      }
    }
  }
}

test.describe("console screens at 390 and 1440 px, light and dark", () => {
  test.describe.configure({ timeout: 300_000 });

  test.describe("as the XCorp owner", () => {
    test.use({ storageState: AUTH.xcorpOwner });
    test("org and account pages", async ({ page }, testInfo) => {
      await visitAll(page, OWNER_PAGES, (n) => testInfo.outputPath(n));
    });
  });

  test("platform admin pages", async ({ page }, testInfo) => {
    await signIn(page, "admin@gatehouse.example");
    await visitAll(page, ADMIN_PAGES, (n) => testInfo.outputPath(n));
  });

  test("support pages", async ({ page }, testInfo) => {
    await signIn(page, "support@gatehouse.example");
    await visitAll(page, SUPPORT_PAGES, (n) => testInfo.outputPath(n));
  });
});

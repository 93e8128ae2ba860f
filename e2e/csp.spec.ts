import type { Page, Response } from "@playwright/test";
import { AUTH, expect, test } from "./fixtures";

/** CSP violations the page reports, through the DOM event and through Chromium's console. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  page.on("console", (m) => {
    if (/content security policy|refused to (execute|load|apply)/i.test(m.text())) logged.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...logged, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

/** The page's nonce, after checking the policy and that every script tag of the HTML carries it. */
async function expectNoncePolicy(res: Response | null): Promise<string> {
  expect(res?.status()).toBeLessThan(400);
  const csp = res!.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
  expect(nonce.length).toBeGreaterThanOrEqual(16);
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("unsafe-inline");
  for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
  const tags = (await res!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  return nonce;
}

/** React ran in the page: hydrateRoot marked the document. */
async function expectReactRan(page: Page) {
  await page.waitForFunction(() => Object.keys(document).some((k) => k.startsWith("__reactContainer$")));
}

test.describe("Content-Security-Policy with a nonce", () => {
  test("/login loads under the policy, hydrates and switches mode, with no CSP violation", async ({ page }) => {
    const violations = await watchCsp(page);
    const first = await expectNoncePolicy(await page.goto("/login"));
    await expectReactRan(page);
    // The mode switch is enabled only once React has hydrated the page.
    await page.getByRole("button", { name: "Create an account" }).click();
    await expect(page.getByText("Create your account")).toBeVisible();
    expect(await violations()).toEqual([]);
    expect(await expectNoncePolicy(await page.goto("/login"))).not.toBe(first);
  });

  test.describe("signed in", () => {
    test.use({ storageState: AUTH.xcorpOwner });

    for (const path of ["/orgs/xcorp", "/orgs/xcorp/members", "/orgs/xcorp/audit", "/account", "/oauth/consent", "/dev/mailbox"]) {
      test(`${path} loads under the policy with no CSP violation`, async ({ page }) => {
        const violations = await watchCsp(page);
        await expectNoncePolicy(await page.goto(path));
        await expectReactRan(page);
        await page.waitForLoadState("networkidle");
        expect(await violations()).toEqual([]);
      });
    }

    test("client-side navigation in the console loads its chunks under the policy", async ({ page }) => {
      const violations = await watchCsp(page);
      await page.goto("/orgs/xcorp");
      await expectReactRan(page);
      await page.getByRole("link", { name: "Members", exact: true }).first().click();
      await expect(page).toHaveURL(/\/orgs\/xcorp\/members$/);
      await page.waitForLoadState("networkidle");
      expect(await violations()).toEqual([]);
    });
  });

  test("pages with a token in the URL send no Referer", async ({ request }) => {
    for (const path of ["/confirm-email/e2e-not-a-token", "/reset-password/e2e-not-a-token", "/invite/e2e-not-a-token", "/magic/e2e-not-a-token"]) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.headers()["referrer-policy"], path).toBe("no-referrer");
    }
    expect((await request.get("/login")).headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });
});

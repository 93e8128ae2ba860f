import { createServer, type Server } from "node:http";
import type { Page } from "@playwright/test";
import { expect, setRequireMfa, test } from "./fixtures";
import { latestMail, linkIn } from "./pages/mailbox";
import { totpCode } from "./pages/totp";

// The sign-in kit's finish (issue 15): focus, show/hide password, live requirements, the error
// space, "use another account", MFA enrolment on a phone, backup codes, LOGGED_IN, dark-mode
// contrast; the shadcn registry and the sign-in API across origins.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
const email = `finish-${Date.now()}@example.com`;
const password = "quartz-lantern-meadow-58";

test.describe.configure({ mode: "serial" });

/** The WCAG contrast of an element's text on its background, colours as the browser computes them. */
async function contrastOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = (css: string) => {
      const c = document.createElement("canvas").getContext("2d")!;
      c.fillStyle = css;
      c.fillRect(0, 0, 1, 1);
      const [r, g, b] = c.getImageData(0, 0, 1, 1).data;
      return [r!, g!, b!].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    };
    const lum = (css: string) => {
      const [r, g, b] = rgb(css);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const style = getComputedStyle(el);
    const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  });
}

test.describe("sign-in kit finish", () => {
  test.beforeAll(async ({ browser }) => setRequireMfa(browser, true));
  test.afterAll(async ({ browser }) => setRequireMfa(browser, false));

  test("the first step: email focused, password shown on demand, requirements live, errors without a jump", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByLabel("Email")).toBeFocused();
    await expect(page.getByTestId("brand")).toContainText("Gatehouse");

    const field = page.getByLabel("Password", { exact: true });
    await field.fill("secret words");
    await expect(field).toHaveAttribute("type", "password");
    await page.getByRole("button", { name: "Show password" }).click();
    await expect(field).toHaveAttribute("type", "text");
    await expect(page.getByRole("button", { name: "Hide password" })).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("button", { name: "Hide password" }).click();
    await expect(field).toHaveAttribute("type", "password");

    // A wrong password: the message appears in the reserved, announced space; the button stays put.
    const error = page.getByTestId("sign-in-error");
    await expect(error).toHaveAttribute("aria-live", "assertive");
    const submit = page.getByRole("button", { name: "Sign in", exact: true });
    const before = await submit.boundingBox();
    await page.getByLabel("Email").fill("member@xcorp.example");
    await field.fill("not the password at all");
    await submit.click();
    await expect(error).toContainText(/do not match/);
    const after = await submit.boundingBox();
    expect(after!.y).toBe(before!.y);

    // Creating an account lists the server's rules and ticks them off while typing.
    await page.getByRole("button", { name: "Create an account" }).click();
    const rules = page.getByTestId("password-requirements");
    await expect(rules.getByText("At least 12 characters")).toHaveAttribute("data-met", "false");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await expect(rules.getByText("At least 12 characters")).toHaveAttribute("data-met", "false");
    await page.getByLabel("Password", { exact: true }).fill("a much longer passphrase");
    await expect(rules.getByText("At least 12 characters")).toHaveAttribute("data-met", "true");
    await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-describedby", /password-requirements/);
  });

  test("sign-up, then 'Use another account' leaves the pending sign-in", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByLabel("Email").fill(`other-${email}`);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await page.getByRole("button", { name: "Use another account" }).click();
    await expect(page.getByRole("heading", { name: "Sign in to Gatehouse" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("heading", { name: "Sign in to Gatehouse" })).toBeVisible();
  });

  test("MFA enrolment on a phone: a tappable otpauth link, the key in groups of four, copy; backup codes download and copy; LOGGED_IN moves on at once", async ({ browser, request }) => {
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Use another account" })).toBeVisible();

    const confirm = await latestMail(request, email, "email.confirm");
    await page.goto(linkIn(confirm.text));
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await expect(page.getByRole("heading", { name: "A few details" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Use another account" })).toBeVisible();
    await page.getByLabel("Full name").fill("Fiona Finish");
    await page.getByRole("button", { name: "Continue" }).click();

    await expect(page.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Use another account" })).toBeVisible();
    const link = page.getByTestId("otpauth-link");
    await expect(link).toHaveAttribute("href", /^otpauth:\/\/totp\/.+[?&]secret=[A-Z2-7]+/);
    const grouped = (await page.getByTestId("mfa-secret").textContent())!;
    expect(grouped).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    const secret = grouped.replace(/\s/g, "");
    expect((await link.getAttribute("href"))!).toContain(`secret=${secret}`);
    await page.getByTestId("copy-mfa-secret").click();
    await expect(page.getByTestId("copy-mfa-secret")).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    await page.getByLabel("6-digit code").fill(totpCode(secret));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    const items = page.getByTestId("backup-codes").getByRole("listitem");
    await expect(items).toHaveCount(10);
    const codes = await items.allTextContents();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-backup-codes").click()]);
    expect(download.suggestedFilename()).toBe("backup-codes.txt");
    const { readFile } = await import("node:fs/promises");
    const text = await readFile((await download.path())!, "utf8");
    for (const c of codes) expect(text).toContain(c);
    await page.getByTestId("copy-backup-codes").click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join("\n"));
    await page.getByRole("button", { name: "I saved my backup codes" }).click();

    // No org to join for a new domain: the user creates one; then LOGGED_IN redirects at once, and
    // while the session is being opened a "Continue" link is on screen.
    await expect(page.getByRole("heading", { name: "Join an organization" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Use another account" })).toBeVisible();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/api/login/complete", async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel("Create a new organization").fill(`Finish ${Date.now()}`);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page.getByRole("heading", { name: "You are signed in" })).toBeVisible();
    await expect(page.getByTestId("continue-link")).toBeVisible();
    await expect(page.getByRole("button", { name: "Use another account" })).toHaveCount(0);
    release();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await context.close();
  });

  test("dark mode: the primary button reads as enabled (contrast ≥ 4.5)", async ({ browser }) => {
    for (const colorScheme of ["dark", "light"] as const) {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto("/login");
      await expect(page.locator("html")).toHaveClass(colorScheme === "dark" ? /\bdark\b/ : /\blight\b/);
      const submit = page.getByRole("button", { name: "Sign in", exact: true });
      await expect(submit).toBeEnabled();
      expect(await contrastOf(page, "button[type=submit]"), colorScheme).toBeGreaterThanOrEqual(4.5);
      await context.close();
    }
  });
});

test.describe("shadcn registry", () => {
  test("serves the index and self-contained items", async ({ request }) => {
    const index = await request.get("/r/registry.json");
    expect(index.status()).toBe(200);
    expect(index.headers()["access-control-allow-origin"]).toBe("*");
    const body = (await index.json()) as { items: { name: string }[] };
    const names = body.items.map((i) => i.name);
    for (const n of ["login-state-manager", "login-and-signup", "verify-mfa", "enroll-in-mfa", "logged-in", "members-table", "audit-explorer", "gatehouse-theme"]) expect(names).toContain(n);
    const item = (await (await request.get("/r/login-state-manager.json")).json()) as { files: { path: string; content: string }[]; registryDependencies: string[] };
    expect(item.files[0]!.content).toContain("export function LoginStateManager");
    for (const dep of item.registryDependencies) {
      expect(dep.startsWith(`${baseURL}/r/`)).toBe(true);
      expect((await request.get(dep)).status(), dep).toBe(200);
    }
    expect((await request.get("/r/no-such-item.json")).status()).toBe(404);
    expect((await request.get("/r/..%2Fpackage.json")).status()).toBe(404);
  });
});

test.describe("sign-in API across origins", () => {
  // A page of another app: LOGIN_ALLOWED_ORIGINS lists http://localhost:<E2E_PORT+51> (playwright.config.ts).
  const allowedPort = port + 51;
  const otherPort = port + 52;
  let servers: Server[] = [];
  const page = `<!doctype html><html><body><h1>Other app</h1></body></html>`;

  test.beforeAll(async () => {
    servers = await Promise.all(
      [allowedPort, otherPort].map(
        (p) =>
          new Promise<Server>((resolve) => {
            const s = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
            s.listen(p, () => resolve(s));
          }),
      ),
    );
  });
  test.afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  async function signInFrom(p: Page, appPort: number) {
    await p.goto(`http://localhost:${appPort}/`);
    return p.evaluate(async (gatehouse) => {
      try {
        const post = await fetch(`${gatehouse}/api/login/password`, {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "member@xcorp.example", password: "gatehouse-demo-2026", returnTo: "/account" }),
        });
        const state = await fetch(`${gatehouse}/api/login/state`, { credentials: "include" });
        return { post: post.status, state: ((await state.json()) as { state: string }).state };
      } catch (err) {
        return { error: String(err) };
      }
    }, baseURL);
  }

  test("a listed origin signs in with credentials; any other origin is refused", async ({ browser }) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    expect(await signInFrom(p, allowedPort)).toEqual({ post: 200, state: "LOGGED_IN" });
    await context.close();

    const other = await browser.newContext();
    const q = await other.newPage();
    const refused = await signInFrom(q, otherPort);
    expect(refused).toHaveProperty("error");
    // Nothing started on the server for the refused origin: this browser has no pending sign-in.
    const state = await q.request.get(`${baseURL}/api/login/state`);
    expect(((await state.json()) as { state: string }).state).toBe("LOGIN_REQUIRED");
    await other.close();
  });
});

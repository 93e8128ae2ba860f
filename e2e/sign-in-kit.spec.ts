import { expect, setRequireMfa, signedInContext, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { latestMail, linkIn } from "./pages/mailbox";
import { totpCode } from "./pages/totp";

const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const origin = { origin: baseURL };
const email = `newcomer-${Date.now()}@example.com`;
const password = "plum-tractor-violet-41";
let secret = "";
let backupCodes: string[] = [];

test.describe.configure({ mode: "serial" });

test.describe("sign-in kit", () => {
  test.beforeAll(async ({ browser }) => {
    // The XCorp owner invites the newcomer; then the platform requires MFA for everyone.
    const owner = await signedInContext(browser, "owner@xcorp.example");
    const invited = await owner.request.post("/api/orgs/xcorp/invitations", { headers: origin, data: { email, roleKey: "member" } });
    expect(invited.status()).toBe(201);
    await setRequireMfa(browser, true);
  });

  test.afterAll(async ({ browser }) => setRequireMfa(browser, false));

  test("a new user signs up, confirms, enrolls in MFA, saves backup codes, joins by invitation and lands in the console", async ({ page, request }) => {
    await new LoginPage(page).signUp(email, password);
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeFocused();

    const confirm = await latestMail(request, email, "email.confirm");
    await page.goto(linkIn(confirm.text));
    await page.getByRole("button", { name: "Confirm my email" }).click();

    await expect(page.getByRole("heading", { name: "A few details" })).toBeVisible();
    await page.getByLabel("Full name").fill("Nora Newcomer");
    await page.getByRole("button", { name: "Continue" }).click();

    await expect(page.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
    await expect(page.getByAltText("QR code for your authenticator app")).toBeVisible();
    secret = (await page.getByTestId("mfa-secret").textContent())!.replace(/\s/g, "");
    await page.getByLabel("6-digit code").fill("000000");
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await expect(page.getByText("That code is not valid")).toBeVisible();
    await page.getByLabel("6-digit code").fill(totpCode(secret));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();

    const codes = page.getByTestId("backup-codes").getByRole("listitem");
    await expect(codes).toHaveCount(10);
    backupCodes = await codes.allTextContents();
    await page.getByRole("button", { name: "I saved my backup codes" }).click();

    await expect(page.getByRole("heading", { name: "Join an organization" })).toBeVisible();
    await page.getByRole("button", { name: "Accept invitation to XCorp" }).click();
    await expect(page).toHaveURL(/\/orgs\/xcorp$/);
    await expect(page.getByTestId("org-name")).toHaveText("XCorp");
  });

  test("a returning user with MFA signs in with a code", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto("/account");
    await login.signIn(email, password);
    await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
    // The code used at enrollment is spent; the authenticator's next code is accepted.
    await page.getByLabel("6-digit code").fill(totpCode(secret, 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/account$/);
  });

  test("a backup code works once", async ({ browser }) => {
    for (const expectation of ["works", "refused"] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const login = new LoginPage(page);
      await login.goto();
      await login.signIn(email, password);
      await page.getByRole("button", { name: "Use a backup code" }).click();
      await page.getByLabel("Backup code").fill(backupCodes[0]!);
      await page.getByRole("button", { name: "Verify" }).click();
      if (expectation === "works") await expect(page).toHaveURL(/\/orgs\/xcorp$/);
      else await expect(page.getByText("That code is not valid")).toBeVisible();
      await context.close();
    }
  });

  test("password reset by mail, then sign-in with the new password", async ({ page, request }) => {
    await page.goto("/login/forgot");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByTestId("reset-requested")).toBeVisible();
    const mail = await latestMail(request, email, "password.reset");
    await page.goto(linkIn(mail.text));
    await page.getByLabel("New password").fill("password1234"); // on the blocklist
    await page.getByRole("button", { name: "Set password" }).click();
    await expect(page.getByText("too common")).toBeVisible();
    await page.getByLabel("New password").fill("a brand new passphrase 2026");
    await page.getByRole("button", { name: "Set password" }).click();
    await expect(page.getByRole("heading", { name: "Password changed" })).toBeVisible();

    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(email, password);
    await login.expectError("do not match");
    await login.signIn(email, "a brand new passphrase 2026");
    await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  });

  test("an unknown email looks the same as a known one, and repeated failures are throttled", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(email, "wrong password 1");
    await login.expectError("do not match");
    const known = await page.getByTestId("sign-in-error").textContent();
    await login.signIn(`nobody-${Date.now()}@example.com`, "wrong password 1");
    await expect(page.getByTestId("sign-in-error")).toHaveText(known!);

    await page.goto("/login/forgot");
    await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.com`);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByTestId("reset-requested")).toBeVisible();

    const target = `throttled-${Date.now()}@example.com`;
    await login.goto();
    // SIGN_IN_FAILURES_PER_CLIENT (5) wrong passwords per account from this client, then refused.
    for (let i = 0; i < 5; i++) {
      await login.signIn(target, `wrong password ${i}`);
      await login.expectError("do not match");
    }
    await login.signIn(target, "wrong password again");
    await login.expectError(/Too many attempts/);
  });
});

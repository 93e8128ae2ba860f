import type { BrowserContext, Page } from "@playwright/test";
import { expect, setRequireMfa, signedInContext, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { latestMail, linkIn } from "./pages/mailbox";
import { totpCode } from "./pages/totp";
import { checkScreens } from "./support/screens";

// Every state of the sign-in state machine (components/login/login-state-manager.tsx), reached through
// the real pages, at 390 and 1440 px in light and dark: nothing off-screen, cut off or spilling over,
// and axe finds nothing serious. Screenshots are attached to the report. SSO_REDIRECT is left out: it
// sends the browser to the identity provider at once (e2e/sso.spec.ts goes through it).
const port = Number(process.env.E2E_PORT ?? 3100);
const origin = { origin: `http://localhost:${port}` };
const stamp = Date.now();
// As long as real addresses get: it has to wrap, not push the step off a phone's screen.
const email = `screens-${stamp}.firstname.lastname@subsidiary.example-holdings.co.uk`;
const password = "harbor-ginger-pillow-73";
const newPassword = "lantern-orchard-quill-95";
let secret = "";

const check = (page: Page, name: string) => checkScreens(page, test.info(), name, { clipping: true, axe: true });

test.describe.configure({ mode: "serial", timeout: 240_000 });

test.describe("sign-in states at 390 and 1440 px, light and dark", () => {
  let owners: BrowserContext[] = [];

  test.beforeAll(async ({ browser }) => {
    // Two invitations (a choice of orgs at USER_MUST_BE_IN_AT_LEAST_ONE_ORG), and MFA for everyone.
    const xcorp = await signedInContext(browser, "owner@xcorp.example");
    const techcorp = await signedInContext(browser, "owner@techcorp.example");
    owners = [xcorp, techcorp];
    expect((await xcorp.request.post("/api/orgs/xcorp/invitations", { headers: origin, data: { email, roleKey: "member" } })).status()).toBe(201);
    expect((await techcorp.request.post("/api/orgs/techcorp/invitations", { headers: origin, data: { email, roleKey: "member" } })).status()).toBe(201);
    await setRequireMfa(browser, true);
  });

  test.afterAll(async ({ browser }) => {
    await setRequireMfa(browser, false);
    await owners[1]?.request.patch("/api/orgs/techcorp", { headers: origin, data: { requirePasskey: false } });
  });

  test("LOGIN_REQUIRED: sign in (with an error), create an account, sign-in link, single sign-on, forgotten password", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByLabel("Email")).toBeFocused();
    // Hydrated: the passkey button shows only then (Chromium has WebAuthn).
    await expect(page.getByTestId("passkey-sign-in")).toBeVisible();
    await check(page, "login-sign-in");

    await new LoginPage(page).signIn(email, "not the right password");
    await expect(page.getByTestId("sign-in-error")).toContainText("do not match");
    await check(page, "login-error");

    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await expect(page.getByTestId("password-requirements")).toBeVisible();
    await check(page, "login-sign-up");

    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Sign in with a link" })).toBeVisible();
    await check(page, "login-magic-link");

    await page.goto("/login?sso=1");
    await expect(page.getByLabel("Work email")).toBeVisible();
    await check(page, "login-sso");

    await page.goto("/login/forgot");
    await expect(page.getByRole("button", { name: "Send reset link" })).toBeVisible();
    await check(page, "forgot-password");
  });

  test("a new user: EMAIL_NOT_CONFIRMED_YET, USER_MISSING_REQUIRED_PROPERTIES, TWO_FACTOR_ENROLLMENT_REQUIRED (app, passkey, backup codes), USER_MUST_BE_IN_AT_LEAST_ONE_ORG, LOGGED_IN", async ({ page, request }) => {
    await new LoginPage(page).signUp(email, password);
    await expect(page.getByTestId("use-another-account")).toBeVisible();
    await check(page, "email-not-confirmed");

    await page.goto(linkIn((await latestMail(request, email, "email.confirm")).text));
    await expect(page.getByRole("button", { name: "Confirm my email" })).toBeVisible();
    await check(page, "confirm-email-link");
    await page.getByRole("button", { name: "Confirm my email" }).click();

    await expect(page.getByRole("heading", { name: "A few details" })).toBeVisible();
    await check(page, "missing-properties");
    await page.getByLabel("Full name").fill("Sasha Screens");
    await page.getByRole("button", { name: "Continue" }).click();

    await expect(page.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
    await expect(page.getByAltText("QR code for your authenticator app")).toBeVisible();
    await expect(page.getByTestId("otpauth-link")).toBeVisible();
    await check(page, "mfa-enrolment");

    // Chromium can make passkeys: enrolment offers one instead of the app.
    await page.getByTestId("enroll-passkey-instead").click();
    await expect(page.getByRole("heading", { name: "Add a passkey" })).toBeVisible();
    await check(page, "passkey-enrolment");
    await page.getByRole("button", { name: "Use an authenticator app instead" }).click();

    await expect(page.getByTestId("mfa-secret")).toBeVisible();
    secret = (await page.getByTestId("mfa-secret").textContent())!.replace(/\s/g, "");
    await page.getByLabel("6-digit code").fill("000000");
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await expect(page.getByText("That code is not valid")).toBeVisible();
    await check(page, "mfa-enrolment-error");
    await page.getByLabel("6-digit code").fill(totpCode(secret));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await expect(page.getByTestId("backup-codes").getByRole("listitem")).toHaveCount(10);
    await check(page, "backup-codes");
    await page.getByRole("button", { name: "I saved my backup codes" }).click();

    await expect(page.getByRole("heading", { name: "Join an organization" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Accept invitation to XCorp" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Accept invitation to TechCorp" })).toBeVisible();
    await check(page, "join-an-organization");

    // LOGGED_IN is on screen while the session is being opened: held here to look at it.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/api/login/complete", async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("button", { name: "Accept invitation to TechCorp" }).click();
    await expect(page.getByRole("heading", { name: "You are signed in" })).toBeVisible();
    await expect(page.getByTestId("continue-link")).toBeVisible();
    await check(page, "logged-in");
    release();
    await expect(page).toHaveURL(/\/orgs\/techcorp$/);
  });

  test("a returning user: TWO_FACTOR_REQUIRED (code, backup code), UPDATE_PASSWORD_REQUIRED, a passkey required by the org, then the passkey as second factor", async ({ page, browser }) => {
    const techcorp = owners[1]!;
    const list = await techcorp.request.get(`/api/orgs/techcorp/members?search=${encodeURIComponent(email)}`);
    const { members } = (await list.json()) as { members: { userId: string; email: string }[] };
    const userId = members.find((m) => m.email === email)!.userId;
    expect((await techcorp.request.post(`/api/orgs/techcorp/members/${userId}/require-password-change`, { headers: origin })).status()).toBe(200);
    expect((await techcorp.request.patch("/api/orgs/techcorp", { headers: origin, data: { requirePasskey: true } })).status()).toBe(200);

    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(email, password);
    await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
    await check(page, "mfa-required");
    await page.getByRole("button", { name: "Use a backup code" }).click();
    await expect(page.getByLabel("Backup code")).toBeVisible();
    await check(page, "mfa-required-backup-code");
    await page.getByRole("button", { name: "Use your authenticator app" }).click();
    // The code used at enrolment is spent: the authenticator's next one.
    await page.getByLabel("6-digit code").fill(totpCode(secret, 1));
    await page.getByRole("button", { name: "Verify" }).click();

    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await page.getByLabel("New password").fill(password);
    await page.getByRole("button", { name: "Save password" }).click();
    await expect(page.getByText("Choose a password different from your current one.")).toBeVisible();
    await check(page, "update-password");
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Save password" }).click();

    await expect(page.getByRole("heading", { name: "Add a passkey" })).toBeVisible();
    await expect(page.getByText("Your organization requires a passkey")).toBeVisible();
    await check(page, "passkey-required");

    // A platform authenticator answers (Chromium's virtual one): the passkey is added and the sign-in ends.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.getByTestId("add-passkey").click();
    await expect(page).toHaveURL(/\/orgs\/techcorp$/);

    // Another browser (no authenticator, so no autofill answer): password, then the passkey is asked for.
    const other = await browser.newContext();
    try {
      const second = await other.newPage();
      await new LoginPage(second).goto();
      await new LoginPage(second).signIn(email, newPassword);
      await expect(second.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
      await check(second, "passkey-second-factor");
    } finally {
      await other.close();
    }
  });
});

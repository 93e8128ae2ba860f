import type { APIRequestContext, BrowserContext, CDPSession, Page } from "@playwright/test";
import { expect, signedInContext, test } from "./fixtures";
import { ConsolePage } from "./pages/console-page";
import { LoginPage } from "./pages/login-page";
import { latestMail, linkIn } from "./pages/mailbox";

const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const origin = { origin: baseURL };
const password = "plum-tractor-violet-41";
const stamp = Date.now();
const alice = `passkey-alice-${stamp}@example.com`;
const bob = `passkey-bob-${stamp}@example.com`;

/**
 * Chromium's DevTools virtual authenticator: a platform authenticator (internal transport) with
 * resident keys and user verification, answering without a prompt.
 */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** A new account through the real pages: sign up, confirm by mail, name, accept the invitation. */
async function signUpInvited(page: Page, request: APIRequestContext, email: string, orgName: string) {
  await new LoginPage(page).signUp(email, password);
  await page.goto(linkIn((await latestMail(request, email, "email.confirm")).text));
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await expect(page.getByRole("heading", { name: "A few details" })).toBeVisible();
  await page.getByLabel("Full name").fill("Pat Passkey");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: `Accept invitation to ${orgName}` }).click();
  await expect(page).toHaveURL(/\/orgs\//);
}

test.describe.configure({ mode: "serial" });

test.describe("passkeys", () => {
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let owners: BrowserContext[] = [];
  let capturedAssertion: string | null = null;

  test.beforeAll(async ({ browser }) => {
    const xcorp = await signedInContext(browser, "owner@xcorp.example");
    const techcorp = await signedInContext(browser, "owner@techcorp.example");
    owners = [xcorp, techcorp];
    expect((await xcorp.request.post("/api/orgs/xcorp/invitations", { headers: origin, data: { email: alice, roleKey: "member" } })).status()).toBe(201);
    expect((await techcorp.request.post("/api/orgs/techcorp/invitations", { headers: origin, data: { email: bob, roleKey: "member" } })).status()).toBe(201);
  });

  test.afterAll(async () => {
    // Never leave the org policy on for the specs that follow.
    await owners[1]?.request.patch("/api/orgs/techcorp", { headers: origin, data: { requirePasskey: false } });
    for (const c of owners) await c.close();
  });

  test("register from the account page (offered once after sign-in), sign out, sign in with a passkey and no password", async ({ browser, request }) => {
    const context = await browser.newContext();
    page = await context.newPage();
    ({ cdp, authenticatorId } = await virtualAuthenticator(page));
    await signUpInvited(page, request, alice, "XCorp");

    // Offered once after sign-in, because this browser has a platform authenticator.
    await expect(page.getByTestId("passkey-offer")).toBeVisible();
    await page.getByTestId("passkey-offer").getByRole("button", { name: "Not now" }).click();
    await page.reload();
    await expect(page.getByTestId("org-name")).toBeVisible();
    await expect(page.getByTestId("passkey-offer")).toHaveCount(0);

    await page.goto("/account");
    await expect(page.getByText("No passkeys yet.")).toBeVisible();
    await page.getByLabel("New passkey name").fill("Work laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByTestId("passkeys").getByRole("row", { name: /Work laptop/ })).toBeVisible();
    await expect(page.getByTestId("passkeys").getByRole("row", { name: /Work laptop/ })).toContainText("never");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);

    // Watched from before the sign-out: the autofill request can be answered as soon as /login shows.
    page.on("request", (r) => {
      if (r.url().endsWith("/api/login/passkey/verify")) capturedAssertion = r.postData();
    });
    await new ConsolePage(page).signOut();
    await expect(page).toHaveURL(/\/login/);

    // No password typed: the passkey is both factors.
    // The email field has the focus, so the autofill request is armed at once and the virtual
    // authenticator (automatic presence) may answer it before the button is clicked: either way it is
    // a passkey sign-in with no password.
    const signedIn = page.waitForURL(/\/orgs\/xcorp$/);
    await page.getByTestId("passkey-sign-in").click({ timeout: 5_000 }).catch(() => undefined);
    await signedIn;
    await expect(page.getByTestId("org-name")).toHaveText("XCorp");
    await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);

    await page.goto("/account");
    await expect(page.getByTestId("passkeys").getByRole("row", { name: /Work laptop/ })).not.toContainText("never");
  });

  test("a replayed assertion is refused", async ({ browser }) => {
    expect(capturedAssertion).toBeTruthy();
    const attacker = await browser.newContext();
    const options = await attacker.request.post("/api/login/passkey/options", { headers: origin, data: {} });
    expect(options.status()).toBe(200);
    const replay = await attacker.request.post("/api/login/passkey/verify", { headers: { ...origin, "content-type": "application/json" }, data: capturedAssertion! });
    expect(replay.status()).toBe(400);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe("passkey_refused");
    const state = await attacker.request.get("/api/login/state");
    expect(((await state.json()) as { state: string }).state).toBe("LOGIN_REQUIRED");
    await attacker.close();
  });

  test("conditional UI: the passkey offered in the email field's autofill signs in", async () => {
    await new ConsolePage(page).signOut();
    await expect(page).toHaveURL(/\/login/);
    // Nothing clicked: the armed autofill request is answered by the (auto-confirming) authenticator.
    await expect(page).toHaveURL(/\/orgs\/xcorp$/);
  });

  test("password, then the passkey as second factor", async () => {
    // The user ignores the autofill: the authenticator does not answer until asked. Turned off before
    // the sign-out, as /login arms the autofill request as soon as it hydrates.
    await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: false });
    await new ConsolePage(page).signOut();
    await expect(page).toHaveURL(/\/login/);
    await new LoginPage(page).signIn(alice, password);
    await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
    await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: true });
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page).toHaveURL(/\/orgs\/xcorp$/);
  });

  test("removal needs a fresh passkey check", async () => {
    await page.goto("/account");
    await page.getByRole("button", { name: "Remove Work laptop" }).click();
    await page.getByTestId("remove-passkey").getByRole("button", { name: "Confirm with a passkey" }).click();
    await expect(page.getByText("No passkeys yet.")).toBeVisible();
    // Gone from the server: the authenticator still holds it and answers the autofill, and is refused.
    await new ConsolePage(page).signOut();
    await expect(page.getByTestId("passkey-error")).toContainText("could not be used");
    await expect(page).toHaveURL(/\/login/);
    // The next password sign-in asks for no second factor.
    await new LoginPage(page).signIn(alice, password);
    await expect(page).toHaveURL(/\/orgs\/xcorp$/);
    await page.context().close();
  });

  test("an org requiring a phishing-resistant factor asks for a passkey (no app) at the next sign-in", async ({ browser, request }) => {
    const context = await browser.newContext();
    const bobPage = await context.newPage();
    await virtualAuthenticator(bobPage);
    await signUpInvited(bobPage, request, bob, "TechCorp");
    await new ConsolePage(bobPage).signOut();

    const on = await owners[1]!.request.patch("/api/orgs/techcorp", { headers: origin, data: { requirePasskey: true } });
    expect(on.status()).toBe(200);
    try {
      await new LoginPage(bobPage).signIn(bob, password);
      await expect(bobPage.getByRole("heading", { name: "Add a passkey" })).toBeVisible();
      await expect(bobPage.getByText("Your organization requires a passkey")).toBeVisible();
      await expect(bobPage.getByRole("button", { name: "Use an authenticator app instead" })).toHaveCount(0);
      await bobPage.getByLabel("Passkey name").fill("Bob's phone");
      await bobPage.getByTestId("add-passkey").click();
      await expect(bobPage).toHaveURL(/\/orgs\/techcorp$/);
      await bobPage.goto("/account");
      await expect(bobPage.getByTestId("passkeys").getByRole("row", { name: /Bob's phone/ })).toBeVisible();
    } finally {
      await owners[1]!.request.patch("/api/orgs/techcorp", { headers: origin, data: { requirePasskey: false } });
      await context.close();
    }
  });
});

import type { Browser, Page } from "@playwright/test";
import { AUTH, expect, signedInContext, test } from "./fixtures";
import { startTestIdp, type TestIdp } from "../test/sso/oidc-idp";
import { startTestSamlIdp, type TestSamlIdp } from "../test/sso/saml-idp";

// Enterprise SSO, the whole journey through the browser, with panva's oidc-provider as XCorp's IdP.
const port = Number(process.env.E2E_PORT ?? 3100);
const app = `http://localhost:${port}`;
let idp: TestIdp;

test.beforeAll(async () => {
  idp = await startTestIdp({ redirectUri: `${app}/api/sso/oidc/callback` });
  idp.accounts.set("it-admin", { email: "it.admin@xcorp.example", email_verified: true, name: "IT Admin", groups: ["it"] });
  idp.accounts.set("new-hire", { email: "new.hire@xcorp.example", email_verified: true, name: "New Hire", groups: ["eng", "eng-admins"] });
});
test.afterAll(async () => idp?.close());

/**
 * /login with the SSO form open. Waits for hydration first (the passkey button shows only then): a
 * click on the link while React was hydrating the page was once lost (neither the link's navigation
 * to `?sso=1` nor its handler ran), and the form never opened.
 */
async function openSsoForm(page: Page) {
  await page.goto("/login");
  await expect(page.getByTestId("passkey-sign-in")).toBeVisible();
  await page.getByRole("link", { name: "Use single sign-on (SSO)" }).click();
  await expect(page.getByLabel("Work email")).toBeVisible();
}

/**
 * XCorp's other SSO connections switched off, so its domain routes to `name` (connections an earlier test,
 * or a failed first try of this one, left enabled).
 */
async function disableOtherConnections(page: Page, name: string) {
  for (const other of await page.getByTestId("sso-connection").filter({ hasNotText: name }).all()) {
    const disable = other.getByRole("button", { name: "Disable" });
    if (await disable.isVisible()) {
      await disable.click();
      await expect(other.getByRole("button", { name: "Enable" })).toBeVisible();
    }
  }
}

/** xcorp.example claimed by XCorp and approved by platform staff (done once: by the first test that gets here). */
async function ensureDomainVerified(page: Page, browser: Browser) {
  if ((await page.getByTestId("sso-domains").textContent())?.includes("Verified")) return;
  await page.getByLabel("Domain", { exact: true }).fill("xcorp.example");
  await page.getByRole("button", { name: "Claim domain" }).click();
  await expect(page.getByTestId("sso-domains")).toContainText("Pending");
  const staff = await signedInContext(browser, "admin@gatehouse.example");
  const staffPage = await staff.newPage();
  await staffPage.goto("/admin/sso-domains");
  await staffPage.getByRole("button", { name: "Approve xcorp.example" }).click();
  await expect(staffPage.getByText("No claims are waiting.")).toBeVisible();
  await staff.close();
  await page.reload();
  await expect(page.getByTestId("sso-domains")).toContainText("Verified");
}

test.describe("enterprise SSO (OIDC)", () => {
  test.use({ storageState: AUTH.xcorpOwner });

  test("the owner connects XCorp's IdP, tests it, claims the domain; a new employee signs in by email and lands with the mapped role", async ({ page, browser }) => {
    // 1. The owner adds the connection.
    const name = `XCorp IdP ${Date.now().toString(36)}`;
    await page.goto("/orgs/xcorp/sso");
    await expect(page.getByTestId("sso-redirect-uri")).toHaveText(`${app}/api/sso/oidc/callback`);
    const form = page.getByTestId("sso-new-connection");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Issuer URL").fill(idp.issuer);
    await form.getByLabel("Client ID").fill(idp.clientId);
    await form.getByLabel("Client secret").fill(idp.clientSecret);
    await form.getByLabel("Scopes").fill("openid email profile groups");
    await form.getByRole("button", { name: "Add connection" }).click();
    const connection = page.getByTestId("sso-connection").filter({ hasText: name });
    await expect(connection).toContainText("Not tested");
    await expect(connection.getByRole("button", { name: "Enable" })).toBeDisabled();

    // 2. "Test connection" runs a sign-in in a popup and shows the claims received.
    idp.next = { accountId: "it-admin" };
    const [popup] = await Promise.all([page.waitForEvent("popup"), connection.getByRole("button", { name: "Test connection" }).click()]);
    await expect(popup.getByTestId("sso-test-claims")).toContainText("it.admin@xcorp.example");
    await expect(popup.getByTestId("sso-test-result")).toContainText("the test sign-in worked");
    // The popup tells the console after its first paint: keep it open until the console shows the result.
    await expect(connection.getByTestId("sso-tested")).toBeVisible();
    await popup.close();

    // 3. Enable it and map the IdP group to Admin.
    await connection.getByRole("button", { name: "Enable" }).click();
    await expect(connection.getByTestId("sso-enabled")).toBeVisible();
    await connection.getByLabel(/Role rules/).fill("eng-admins = admin\neng = member");
    await connection.getByRole("button", { name: "Save mapping" }).click();
    await expect(page.getByText("Connection saved")).toBeVisible();
    await disableOtherConnections(page, name);

    // 4. Claim the domain; platform staff approve it.
    await ensureDomainVerified(page, browser);

    // 5. A new employee types their email at /login and comes back signed in, as Admin of XCorp.
    const employee = await browser.newContext();
    const login = await employee.newPage();
    idp.next = { accountId: "new-hire" };
    await openSsoForm(login);
    await login.getByLabel("Work email").fill("new.hire@xcorp.example");
    await login.getByRole("button", { name: "Continue with SSO" }).click();
    await login.waitForURL((url) => url.origin === app && !url.pathname.startsWith("/login") && !url.pathname.startsWith("/api/"));
    await expect(login).toHaveURL(/\/orgs\/xcorp$/);
    const invitations = await login.request.get("/api/orgs/xcorp/invitations");
    expect(invitations.status(), "admins (the mapped role) may list invitations").toBe(200);
    await employee.close();

    // 6. TechCorp addresses are not routed to XCorp's IdP.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await openSsoForm(otherPage);
    await otherPage.getByLabel("Work email").fill("member@techcorp.example");
    await otherPage.getByRole("button", { name: "Continue with SSO" }).click();
    await expect(otherPage.getByTestId("sso-error")).toContainText("not set up for that address");
    await other.close();
  });
});

test.describe("enterprise SSO (SAML 2.0)", () => {
  test.use({ storageState: AUTH.xcorpOwner });
  let samlIdp: TestSamlIdp;
  test.beforeAll(async () => {
    samlIdp = await startTestSamlIdp("xcorp-saml");
  });
  test.afterAll(async () => samlIdp?.close());

  test("the owner adds a SAML connection from the IdP's metadata URL, tests it; an employee signs in through the IdP (HTTP-POST to the ACS) with the mapped role", async ({ page, browser }) => {
    // 1. Add the connection from the metadata URL: the card shows the ACS URL and entity ID to paste into the IdP.
    const name = `XCorp SAML ${Date.now().toString(36)}`;
    const hire = `saml.hire.${Date.now().toString(36)}@xcorp.example`;
    await page.goto("/orgs/xcorp/sso");
    const form = page.getByTestId("sso-new-saml-connection");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("IdP metadata URL").fill(samlIdp.metadataUrl);
    await form.getByRole("button", { name: "Add SAML connection" }).click();
    const connection = page.getByTestId("sso-connection").filter({ hasText: name });
    await expect(connection).toContainText("Not tested");
    await expect(connection.getByTestId("saml-acs-url")).toHaveText(new RegExp(`^${app}/api/sso/saml/acs/[0-9a-f-]{36}$`));
    const entityId = (await connection.getByTestId("saml-entity-id").textContent())!;
    const metadata = await page.request.get(entityId);
    expect(metadata.status()).toBe(200);
    expect(await metadata.text()).toContain('WantAssertionsSigned="true"');

    // 2. Test it in the popup: IdP → auto-posted SAMLResponse → ACS → finish → the attributes received.
    samlIdp.next = { email: "it.admin@xcorp.example", name: "IT Admin", groups: ["it"] };
    const [popup] = await Promise.all([page.waitForEvent("popup"), connection.getByRole("button", { name: "Test connection" }).click()]);
    await expect(popup.getByTestId("sso-test-claims")).toContainText("it.admin@xcorp.example");
    await expect(popup.getByTestId("sso-test-result")).toContainText("the test sign-in worked");
    // The popup tells the console after its first paint: keep it open until the console shows the result.
    await expect(connection.getByTestId("sso-tested")).toBeVisible();
    await popup.close();

    // 3. Enable it with a role rule; XCorp's other connections are switched off so its domain routes here.
    await connection.getByRole("button", { name: "Enable" }).click();
    await expect(connection.getByTestId("sso-enabled")).toBeVisible();
    await connection.getByLabel(/Role rules/).fill("eng-admins = admin");
    await connection.getByRole("button", { name: "Save mapping" }).click();
    await expect(page.getByText("Connection saved")).toBeVisible();
    await disableOtherConnections(page, name);

    // 4. The domain (claimed and approved by the OIDC journey when it ran first; otherwise here).
    await ensureDomainVerified(page, browser);

    // 5. A new employee types their email at /login, signs in at the IdP, and lands in XCorp as Admin.
    const employee = await browser.newContext();
    const login = await employee.newPage();
    samlIdp.next = { email: hire, name: "SAML Hire", groups: ["eng-admins"] };
    await openSsoForm(login);
    await login.getByLabel("Work email").fill(hire);
    await login.getByRole("button", { name: "Continue with SSO" }).click();
    await login.waitForURL((url) => url.origin === app && !url.pathname.startsWith("/login") && !url.pathname.startsWith("/api/"));
    await expect(login).toHaveURL(/\/orgs\/xcorp$/);
    const invitations = await login.request.get("/api/orgs/xcorp/invitations");
    expect(invitations.status(), "admins (the mapped role) may list invitations").toBe(200);
    await employee.close();

    // 6. An answer from another key is refused: the browser is back at /login with the SSO error.
    const attacker = await startTestSamlIdp("attacker");
    try {
      const stranger = await browser.newContext();
      const strangerPage = await stranger.newPage();
      samlIdp.next = null;
      await openSsoForm(strangerPage);
      await strangerPage.getByLabel("Work email").fill("forged@xcorp.example");
      // Wait until the page has landed at the IdP (which refuses: nobody signs in), not just for the request, so the
      // forged form below is not written into a page that is still navigating.
      await Promise.all([
        strangerPage.waitForURL((url) => url.href.startsWith(samlIdp.ssoUrl)),
        strangerPage.getByRole("button", { name: "Continue with SSO" }).click(),
      ]);
      // The attacker signs an answer to the same request with its own key and posts it from this browser.
      const acs = (await connection.getByTestId("saml-acs-url").textContent())!;
      const requestId = samlIdp.requestIdOf(new URL(strangerPage.url()));
      const spMetadata = await (await page.request.get(entityId)).text();
      const forged = await attacker.respond(spMetadata, requestId, { email: "forged@xcorp.example", name: "Forged" }, { issuer: samlIdp.entityId });
      await strangerPage.setContent(`<form method="post" action="${acs}"><input type="hidden" name="SAMLResponse" value="${forged}"></form>`);
      await Promise.all([strangerPage.waitForURL(/\/login\?error=sso_failed/), strangerPage.evaluate(() => document.forms[0]!.submit())]);
      await stranger.close();
    } finally {
      await attacker.close();
    }
  });
});

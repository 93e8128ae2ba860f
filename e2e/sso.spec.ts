import { AUTH, expect, signedInContext, test } from "./fixtures";
import { startTestIdp, type TestIdp } from "../test/sso/oidc-idp";

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

test.describe("enterprise SSO (OIDC)", () => {
  test.use({ storageState: AUTH.xcorpOwner });

  test("the owner connects XCorp's IdP, tests it, claims the domain; a new employee signs in by email and lands with the mapped role", async ({ page, browser }) => {
    // 1. The owner adds the connection.
    await page.goto("/orgs/xcorp/sso");
    await expect(page.getByTestId("sso-redirect-uri")).toHaveText(`${app}/api/sso/oidc/callback`);
    const form = page.getByTestId("sso-new-connection");
    await form.getByLabel("Name").fill("XCorp IdP");
    await form.getByLabel("Issuer URL").fill(idp.issuer);
    await form.getByLabel("Client ID").fill(idp.clientId);
    await form.getByLabel("Client secret").fill(idp.clientSecret);
    await form.getByLabel("Scopes").fill("openid email profile groups");
    await form.getByRole("button", { name: "Add connection" }).click();
    const connection = page.getByTestId("sso-connection").filter({ hasText: "XCorp IdP" });
    await expect(connection).toContainText("Not tested");
    await expect(connection.getByRole("button", { name: "Enable" })).toBeDisabled();

    // 2. "Test connection" runs a sign-in in a popup and shows the claims received.
    idp.next = { accountId: "it-admin" };
    const [popup] = await Promise.all([page.waitForEvent("popup"), connection.getByRole("button", { name: "Test connection" }).click()]);
    await expect(popup.getByTestId("sso-test-claims")).toContainText("it.admin@xcorp.example");
    await expect(popup.getByTestId("sso-test-result")).toContainText("the test sign-in worked");
    await popup.close();
    await expect(connection.getByTestId("sso-tested")).toBeVisible();

    // 3. Enable it and map the IdP group to Admin.
    await connection.getByRole("button", { name: "Enable" }).click();
    await expect(connection.getByTestId("sso-enabled")).toBeVisible();
    await connection.getByLabel(/Role rules/).fill("eng-admins = admin\neng = member");
    await connection.getByRole("button", { name: "Save mapping" }).click();
    await expect(page.getByText("Connection saved")).toBeVisible();

    // 4. Claim the domain; platform staff approve it.
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

    // 5. A new employee types their email at /login and comes back signed in, as Admin of XCorp.
    const employee = await browser.newContext();
    const login = await employee.newPage();
    idp.next = { accountId: "new-hire" };
    await login.goto("/login");
    await login.getByRole("button", { name: "Use single sign-on (SSO)" }).click();
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
    await otherPage.goto("/login");
    await otherPage.getByRole("button", { name: "Use single sign-on (SSO)" }).click();
    await otherPage.getByLabel("Work email").fill("member@techcorp.example");
    await otherPage.getByRole("button", { name: "Continue with SSO" }).click();
    await expect(otherPage.getByTestId("sso-error")).toContainText("not set up for that address");
    await other.close();
  });
});

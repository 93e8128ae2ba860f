import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, LoginPage } from "./pages/login-page";

// The sign-in kit's first step works as a plain HTML form when JavaScript is off.
test.describe("sign-in without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a wrong password shows the error; the right one signs in through plain form posts", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto("/orgs/techcorp");
    await expect(page.getByTestId("login-and-signup")).toBeVisible();

    await login.signIn("member@techcorp.example", "not-the-password-at-all");
    await expect(page).toHaveURL(/\/login\?error=invalid_credentials&next=%2Forgs%2Ftechcorp/);
    await login.expectError("do not match");

    await login.signIn("member@techcorp.example", DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByTestId("logged-in")).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/orgs\/techcorp$/);
    expect((await page.context().cookies()).some((c) => /authjs\.session-token/.test(c.name))).toBe(true);
  });

  test("single sign-on opens as a link and posts as a plain form; an address without SSO is told so", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto("/orgs/techcorp");
    await page.getByRole("link", { name: "Use single sign-on (SSO)" }).click();
    await expect(page).toHaveURL(/\/login\?sso=1&next=%2Forgs%2Ftechcorp$/);
    await page.getByLabel("Work email").fill("member@techcorp.example");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    await expect(page).toHaveURL(/\/login\?error=no_sso&next=%2Forgs%2Ftechcorp$/);
    await login.expectError("Single sign-on is not set up for that address");
  });
});

import { DEMO_PASSWORD, expect, signedInContext, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test("an org owner requires a new password; the admin reaches UPDATE_PASSWORD_REQUIRED and may not keep the old one", async ({ browser, page }) => {
  test.setTimeout(120_000); // two browsers and two sign-ins
  const owner = await signedInContext(browser, "owner@techcorp.example");
  const console = await owner.newPage();
  await console.goto("/orgs/techcorp/members");
  await console.getByRole("button", { name: "Require new password from admin@techcorp.example" }).click();
  await console.getByRole("alertdialog", { name: "Require a new password from admin@techcorp.example?" }).getByRole("button", { name: "Require new password" }).click();
  await expect(console.getByText("admin@techcorp.example will set a new password at their next sign-in")).toBeVisible();
  await owner.close();

  const login = new LoginPage(page);
  await login.goto();
  await login.signIn("admin@techcorp.example");
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("New password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page.getByText("Choose a password different from your current one.")).toBeVisible();
  await page.getByLabel("New password").fill("techcorp-admin-fresh-2026");
  await page.getByRole("button", { name: "Save password" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
});

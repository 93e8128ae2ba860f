import { expect, test as setup } from "@playwright/test";
import { AUTH } from "./fixtures";
import { LoginPage } from "./pages/login-page";

setup("sign in as the XCorp owner", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn("owner@xcorp.example");
  await expect(page).toHaveURL(/\/orgs\/xcorp$/);
  await page.context().storageState({ path: AUTH.xcorpOwner });
});

setup("sign in as platform staff", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn("admin@gatehouse.example");
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.context().storageState({ path: AUTH.platformAdmin });
});

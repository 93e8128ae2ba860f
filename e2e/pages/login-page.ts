import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "gatehouse-demo-2026";

/** The sign-in page. */
export class LoginPage {
  constructor(readonly page: Page) {}

  async goto(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  }

  async signIn(email: string, password = DEMO_PASSWORD) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  /** Sign up through the real page, up to "Check your inbox". */
  async signUp(email: string, password: string) {
    await this.page.goto("/login");
    await this.page.getByRole("button", { name: "Create an account" }).click();
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByRole("button", { name: "Create account" }).click();
    await expect(this.page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  }

  async expectError(text: RegExp | string) {
    await expect(this.page.getByTestId("sign-in-error")).toContainText(text);
  }
}

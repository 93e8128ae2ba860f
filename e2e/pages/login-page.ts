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

  async expectError(text: RegExp | string) {
    await expect(this.page.getByTestId("sign-in-error")).toContainText(text);
  }
}

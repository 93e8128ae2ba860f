import { expect, type Page } from "@playwright/test";

/** The signed-in console shell: org switcher, navigation, user menu. */
export class ConsolePage {
  constructor(readonly page: Page) {}

  async expectShell(orgName?: string) {
    await expect(this.page.getByTestId("org-switcher")).toBeVisible();
    await expect(this.page.getByTestId("user-menu")).toBeVisible();
    if (orgName) await expect(this.page.getByTestId("org-name")).toHaveText(orgName);
  }

  async signOut() {
    await this.page.getByTestId("user-menu").click();
    await this.page.getByRole("menuitem", { name: /sign out/i }).click();
  }
}

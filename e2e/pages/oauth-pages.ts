import { expect, type Page } from "@playwright/test";

/** The org's OAuth clients page. */
export class ClientsPage {
  constructor(readonly page: Page) {}

  async goto(slug: string) {
    await this.page.goto(`/orgs/${slug}/clients`);
    await expect(this.page.getByRole("heading", { name: "OAuth clients" })).toBeVisible();
  }

  /** Register a public client by ticking named presets; returns the new client_id. */
  async registerWithPresets(name: string, presets: string[], scopes: string[] = []) {
    await this.page.getByRole("button", { name: "Register a client" }).click();
    const form = this.page.getByTestId("client-form");
    await form.getByLabel("Name").fill(name);
    for (const p of presets) await form.getByRole("checkbox", { name: p, exact: true }).check();
    for (const s of scopes) await form.getByRole("checkbox", { name: new RegExp(`^${s} `) }).check();
    await form.getByRole("button", { name: "Register" }).click();
    const id = this.page.getByTestId("new-client-id");
    await expect(id).toBeVisible();
    return (await id.textContent())!.trim();
  }
}

/** The consent screen. */
export class ConsentPage {
  constructor(readonly page: Page) {}

  async expectClient(name: string) {
    await expect(this.page.getByTestId("consent-client-name")).toHaveText(name);
  }

  async approve() {
    await this.page.getByRole("button", { name: "Allow access" }).click();
  }
}

/** The org admin's connected apps page. */
export class OrgConnectedAppsPage {
  constructor(readonly page: Page) {}

  async goto(slug: string) {
    await this.page.goto(`/orgs/${slug}/connected-apps`);
    await expect(this.page.getByRole("heading", { name: "Connected apps" })).toBeVisible();
  }

  async revoke(clientName: string, userEmail: string) {
    const row = this.page.getByTestId(`grant-row-${clientName}`).filter({ hasText: userEmail });
    await row.getByRole("button", { name: "Revoke", exact: true }).click();
    await this.page.getByRole("alertdialog").getByRole("button", { name: "Revoke access" }).click();
    await expect(row).toHaveCount(0);
  }
}

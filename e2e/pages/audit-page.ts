import { expect, type Page } from "@playwright/test";

/** The audit log explorer (tenant or support). */
export class AuditPage {
  constructor(readonly page: Page) {}

  async openAsSupport(orgName: string, reason: string) {
    await this.page.goto("/support/audit");
    await this.page.getByRole("combobox", { name: "Organization" }).click();
    await this.page.getByRole("option", { name: orgName }).click();
    await this.page.getByLabel("Reason (ticket id)").fill(reason);
    await this.page.getByRole("button", { name: "Open audit log" }).click();
    await expect(this.page.getByTestId("support-access")).toContainText(orgName);
  }

  async filter(values: { client?: string; obo?: string; action?: string; range?: string }) {
    if (values.client !== undefined) await this.page.getByLabel("Agent / client").fill(values.client);
    if (values.obo !== undefined) await this.page.getByLabel("On behalf of").fill(values.obo);
    if (values.action !== undefined) await this.page.getByLabel("Action").fill(values.action);
    if (values.range) {
      await this.page.getByRole("combobox", { name: "Time range" }).click();
      await this.page.getByRole("option", { name: values.range }).click();
    }
    await this.page.getByRole("button", { name: "Apply filters" }).click();
  }

  rows() {
    return this.page.getByTestId("audit-row");
  }
}

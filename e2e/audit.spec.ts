import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, signedInContext, test } from "./fixtures";
import { AuditPage } from "./pages/audit-page";

test.describe("audit log explorer", () => {
  test("support filters XCorp by agent and on-behalf-of user over a time range, opens an event, exports CSV, and the view is logged", async ({ browser }) => {
    const context = await signedInContext(browser, "support@gatehouse.example");
    const page = await context.newPage();
    const audit = new AuditPage(page);

    // No events before a reason is given.
    await page.goto("/support/audit");
    await expect(page.getByRole("heading", { name: "Why are you opening this audit log?" })).toBeVisible();
    await expect(audit.rows()).toHaveCount(0);

    await audit.openAsSupport("XCorp", "SUP-4711 what did Cursor do for John");
    await audit.filter({ client: "Cursor", obo: "john@xcorp.example", range: "Last 7 days" });
    await expect(page).toHaveURL(/client=Cursor/);
    await expect(page).toHaveURL(/obo=john%40xcorp.example/);
    await expect(page).toHaveURL(/range=7d/);

    // Two tool calls a day by the seeded agent: about a week of them, nothing else.
    await expect(audit.rows().first()).toBeVisible();
    const n = await audit.rows().count();
    expect(n).toBeGreaterThanOrEqual(10);
    expect(n).toBeLessThanOrEqual(14);
    for (const row of await audit.rows().all()) {
      await expect(row).toContainText("mcp.tool_called");
      await expect(row).toContainText("Cursor");
      await expect(row).toContainText("John Smith");
    }
    await expect(page.getByTestId("audit-count")).toHaveText(`${n} events`);
    await expect(page.getByTestId("audit-histogram")).toBeVisible();

    // The detail drawer: the full event and its place in the chain.
    await audit.rows().first().click();
    const sheet = page.getByTestId("audit-event-sheet");
    await expect(sheet).toContainText("mcp.tool_called");
    await expect(sheet).toContainText("demo-cursor-xcorp");
    await expect(sheet.getByTestId("event-chain-status")).toContainText("Intact");
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();

    // Export exactly what the filter shows, as CSV.
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^audit-xcorp-.*\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.trim().split("\n");
    expect(lines[0]).toMatch(/^occurred_at_utc,org,chain_seq,actor_type/);
    expect(lines).toHaveLength(n + 1);
    expect(lines.slice(1).every((l) => l.includes("mcp.tool_called") && l.includes("demo-cursor-xcorp"))).toBe(true);

    // The view and the export are themselves in the log, with the reason.
    await page.getByRole("button", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/support\/audit\?org=xcorp$/);
    await audit.filter({ action: "support.*" });
    await expect(page).toHaveURL(/action=support/);
    await expect(audit.rows()).toHaveCount(2);
    await expect(audit.rows().nth(0)).toContainText("support.audit_exported");
    await expect(audit.rows().nth(1)).toContainText("support.audit_viewed");
    await audit.rows().nth(1).click();
    await expect(page.getByTestId("audit-event-sheet")).toContainText("SUP-4711 what did Cursor do for John");
    await context.close();

    // XCorp's own admins see that support looked, and why; TechCorp's do not.
    const admin = await signedInContext(browser, "admin@xcorp.example");
    const adminPage = await admin.newPage();
    await adminPage.goto("/orgs/xcorp/audit?action=support.*");
    await expect(adminPage.getByTestId("audit-row")).toHaveCount(2);
    await expect(adminPage.getByTestId("audit-row").nth(1)).toContainText("support.audit_viewed");
    await admin.close();

    const other = await signedInContext(browser, "owner@techcorp.example");
    const otherPage = await other.newPage();
    await otherPage.goto("/orgs/techcorp/audit?action=support.*");
    await expect(otherPage.getByText("No events match this filter.")).toBeVisible();
    await otherPage.goto("/orgs/techcorp/audit?client=Cursor");
    await expect(otherPage.getByText("No events match this filter.")).toBeVisible();
    await other.close();
  });

  test("an org owner verifies XCorp's chain in the console, then offline with the standalone verifier", async ({ browser }, testInfo) => {
    const context = await signedInContext(browser, "owner@xcorp.example");
    const page = await context.newPage();
    await page.goto("/orgs/xcorp/audit");
    const key = await (await page.request.get("/.well-known/gatehouse-audit-key")).json();
    await expect(page.getByTestId("audit-public-key")).toHaveText(key.publicKey);
    await page.getByRole("button", { name: "Verify chain" }).click();
    await expect(page.getByTestId("verify-result")).toContainText("Chain intact");

    // Checkpoints first, then the whole trail as NDJSON, and the pinned key: all a tenant needs.
    const checkpoints = await page.request.get("/api/orgs/xcorp/audit/checkpoints");
    expect(checkpoints.ok()).toBe(true);
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export NDJSON" }).click();
    const events = (await (await downloading).path())!;
    const files = { cps: testInfo.outputPath("checkpoints.jsonl"), key: testInfo.outputPath("key.json") };
    await writeFile(files.cps, await checkpoints.text());
    await writeFile(files.key, JSON.stringify(key));
    const script = path.resolve("scripts/verify-audit-export.mjs");
    const out = execFileSync("node", [script, "--events", events, "--checkpoints", files.cps, "--key", files.key], { encoding: "utf8" });
    expect(out).toContain("verified");
    expect(out).toMatch(/last checkpoint that holds: #\d+/);
    await context.close();
  });
});


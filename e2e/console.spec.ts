import type { BrowserContext } from "@playwright/test";
import { expect, signedInContext, test } from "./fixtures";
import { latestMail, linkIn } from "./pages/mailbox";

const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const origin = { origin: baseURL };

test.describe.configure({ mode: "serial" });

test.describe("org and role-mapping console", () => {
  test("an owner invites a user with a role, the user accepts, the owner promotes them and their permissions change", async ({ browser, request }) => {
    const invitee = `invitee-${Date.now()}@example.com`;
    const owner = await signedInContext(browser, "owner@xcorp.example");
    const page = await owner.newPage();
    await page.goto("/orgs/xcorp/members");
    await page.getByLabel("Email").fill(invitee);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText(`Invitation sent to ${invitee}`)).toBeVisible();
    await expect(page.getByTestId("invitations").getByRole("row", { name: new RegExp(invitee) })).toContainText("pending");

    // The invitee follows the mailed link, signs up and joins.
    const user = await browser.newContext();
    const up = await user.newPage();
    await up.goto(linkIn((await latestMail(request, invitee, "invitation")).text));
    await up.getByRole("link", { name: "Continue" }).click();
    await up.getByRole("button", { name: "Create an account" }).click();
    await up.getByLabel("Email").fill(invitee);
    await up.getByLabel("Password", { exact: true }).fill("plum-tractor-violet-41");
    await up.getByRole("button", { name: "Create account" }).click();
    await expect(up.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await up.goto(linkIn((await latestMail(request, invitee, "email.confirm")).text));
    await up.getByRole("button", { name: "Confirm my email" }).click();
    await up.getByLabel("Full name").fill("Ivy Invitee");
    await up.getByRole("button", { name: "Continue" }).click();
    await up.getByRole("button", { name: "Accept invitation to XCorp" }).click();
    await expect(up).toHaveURL(/\/invite\//);
    await expect(up.getByRole("heading", { name: "You are a member of XCorp" })).toBeVisible();
    await up.goto("/orgs/xcorp");
    await expect(up.getByRole("list", { name: "Your permissions" })).not.toContainText("members::manage");

    // The owner promotes them; it applies on their next request.
    await page.reload();
    const row = page.getByTestId(`member-${invitee}`);
    await row.getByRole("combobox", { name: `Role of ${invitee}` }).click();
    await page.getByRole("option", { name: "Admin" }).click();
    await expect(page.getByText("Role changed to Admin")).toBeVisible();
    await up.reload();
    await expect(up.getByRole("list", { name: "Your permissions" })).toContainText("members::manage");
    // An admin may not grant Owner: the option is not offered and the API refuses.
    const refused = await user.request.patch(`/api/orgs/xcorp/members/${(await owner.request.get("/api/orgs/xcorp/members?search=owner@").then((r) => r.json())).members[0].userId}`, {
      headers: origin,
      data: { roleKey: "member" },
    });
    expect(refused.status()).toBe(403);
    await owner.close();
    await user.close();
  });

  test.describe("platform admin", () => {
    let admin: BrowserContext;
    test.beforeAll(async ({ browser }) => {
      admin = await signedInContext(browser, "admin@gatehouse.example");
    });
    test.afterAll(async () => {
      // Put the demo back as it was for other tests.
      const roles = (await (await admin.request.get("/api/admin/roles")).json()).roles as { id: string; key: string }[];
      await admin.request.patch(`/api/admin/roles/${roles.find((r) => r.key === "admin")!.id}`, { headers: origin, data: { name: "Admin" } });
      const mappings = (await (await admin.request.get("/api/admin/mappings")).json()).mappings as { id: string; name: string }[];
      await admin.request.put("/api/admin/orgs/xcorp/subscription", { headers: origin, data: { mappingId: mappings.find((m) => m.name === "Enterprise")!.id } });
      await admin.close();
    });

    test("renames a role, edits a plan, moves XCorp from Paid to Free with a preview, and an XCorp manager loses reports::export", async ({ browser }) => {
      // The demo has XCorp on Enterprise: put it on Paid first, as in the story (Free → Paid → Enterprise and back).
      const mappings = (await (await admin.request.get("/api/admin/mappings")).json()).mappings as { id: string; name: string }[];
      const toPaid = await admin.request.put("/api/admin/orgs/xcorp/subscription", {
        headers: origin,
        data: { mappingId: mappings.find((m) => m.name === "Paid")!.id },
      });
      expect(toPaid.ok()).toBe(true);
      const manager = await signedInContext(browser, "admin@xcorp.example");
      const managerPage = await manager.newPage();
      await managerPage.goto("/orgs/xcorp");
      await expect(managerPage.getByRole("list", { name: "Your permissions" })).toContainText("reports::export");

      const page = await admin.newPage();
      await page.goto("/admin/roles");
      const name = page.getByLabel("Name of role admin");
      await name.fill("Manager");
      await name.locator("..").getByRole("button", { name: "Rename" }).click();
      await expect(page.getByText("Renamed to Manager")).toBeVisible();

      await page.goto("/admin/mappings");
      await page.getByRole("link", { name: "Free" }).click();
      const cellBox = page.getByRole("checkbox", { name: "Member: billing::manage" });
      await cellBox.check();
      await page.getByRole("button", { name: "Save matrix" }).click();
      // TechCorp is on Free: the impact comes first, by org and role, and nothing is saved yet.
      const impact = page.getByTestId("matrix-impact");
      await expect(impact.getByRole("heading", { level: 2 })).toHaveText("Saving changes permissions in 1 organization (1 member)");
      await expect(impact.getByTestId("matrix-impact-techcorp").getByTestId("role-impact-Member")).toContainText("Gain billing::manage");
      await expect(impact.getByRole("heading", { level: 2 })).toBeFocused();
      await impact.getByRole("button", { name: "Save and apply to 1 organization" }).click();
      await expect(page.getByText("Saved: 1 added, 0 removed")).toBeVisible();
      await page.getByRole("checkbox", { name: "Member: billing::manage" }).uncheck();
      await page.getByRole("button", { name: "Save matrix" }).click();
      await expect(impact.getByTestId("role-impact-Member")).toContainText("Lose billing::manage");
      await impact.getByRole("button", { name: "Save and apply to 1 organization" }).click();
      await expect(page.getByText("Saved: 0 added, 1 removed")).toBeVisible();

      await page.goto("/admin/orgs");
      const switcher = page.getByTestId("plan-switcher-xcorp");
      await switcher.getByLabel("New plan for xcorp").selectOption({ label: "Free" });
      await switcher.getByRole("button", { name: "Preview change" }).click();
      const preview = switcher.getByTestId("plan-preview");
      await expect(preview).toContainText("Paid → Free");
      // Grouped by role first; every member behind a disclosure.
      // (XCorp's own admin and the invitee promoted in the test before: both Managers, one line.)
      await expect(preview.getByTestId("role-impact-Manager")).toContainText("2 members");
      await expect(preview.getByTestId("role-impact-Manager")).toContainText("Lose reports::export");
      await preview.getByText("Every member").click();
      await expect(preview.getByRole("row", { name: /admin@xcorp\.example/ })).toContainText("reports::export");
      await expect(preview.getByRole("row", { name: /admin@xcorp\.example/ })).toContainText("Manager");
      await switcher.getByRole("button", { name: "Move xcorp to Free" }).click();
      await expect(page.getByText("xcorp moved from Paid to Free")).toBeVisible();

      // The manager's next request, without signing in again.
      await managerPage.reload();
      await expect(managerPage.getByRole("list", { name: "Your permissions" })).not.toContainText("reports::export");
      await expect(managerPage.getByText("you are Manager")).toBeVisible();
      await manager.close();
    });

    test("an API key created in the console lets a backend check permissions, until it is revoked", async ({ playwright }) => {
      const page = await admin.newPage();
      await page.goto("/admin/api-keys");
      await page.getByLabel("Key name").fill("Billing service");
      await page.getByRole("button", { name: "Create key" }).click();
      const key = (await page.getByTestId("new-api-key").locator("code").textContent())!.trim();
      expect(key).toMatch(/^ghk_/);
      const backend = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` }, storageState: { cookies: [], origins: [] } });
      const lookup = await backend.get("/api/v1/users?user=john@xcorp.example");
      expect(lookup.status()).toBe(200);
      expect((await lookup.json()).orgs.map((o: { slug: string }) => o.slug)).toEqual(["xcorp"]);
      expect(await (await backend.get("/api/v1/check?user=member@techcorp.example&org=techcorp&permission=reports::read")).json()).toMatchObject({ allowed: true });
      expect(await (await backend.get("/api/v1/check?user=member@techcorp.example&org=techcorp&role=admin")).json()).toMatchObject({ allowed: false });
      expect((await backend.get("/api/v1/check?user=member@techcorp.example&org=techcorp")).status()).toBe(400);
      expect((await (await backend.get("/api/v1/orgs/techcorp/members")).json()).members).toHaveLength(3);
      const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
      expect((await anonymous.get("/api/v1/orgs/techcorp/members")).status()).toBe(401);
      await page.getByTestId("api-keys").getByRole("row", { name: /Billing service/ }).getByRole("button", { name: "Revoke key Billing service" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
      await expect(page.getByText('Key "Billing service" revoked')).toBeVisible();
      expect((await backend.get("/api/v1/orgs/techcorp/members")).status()).toBe(401);
      await backend.dispose();
      await anonymous.dispose();
    });

    test("explains a permission", async () => {
      const page = await admin.newPage();
      await page.goto("/admin/explain");
      await page.getByLabel("User email").fill("member@techcorp.example");
      await page.getByLabel("Organization slug").fill("techcorp");
      await page.getByLabel("Permission").fill("reports::export");
      await page.getByRole("button", { name: "Explain" }).click();
      await expect(page.getByTestId("explanation")).toContainText("not allowed");
      await expect(page.getByTestId("explanation")).toContainText("TechCorp is on Free, where Member does not have reports::export");
    });
  });

  test("isolation: members and other orgs' admins get nothing from console routes", async ({ browser, playwright }) => {
    const anon = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const member = await signedInContext(browser, "member@xcorp.example");
    const otherOwner = await signedInContext(browser, "owner@techcorp.example");
    const platform = await signedInContext(browser, "support@gatehouse.example");
    const routes: [string, string, object?][] = [
      ["GET", "/api/orgs/xcorp/members"],
      ["GET", "/api/orgs/xcorp/invitations"],
      ["POST", "/api/orgs/xcorp/invitations", { email: "x@example.com", roleKey: "member" }],
      ["PATCH", "/api/orgs/xcorp/members/00000000-0000-4000-8000-000000000000", { roleKey: "member" }],
      ["DELETE", "/api/orgs/xcorp/members/00000000-0000-4000-8000-000000000000"],
      ["DELETE", "/api/orgs/xcorp/invitations/00000000-0000-4000-8000-000000000000"],
      ["PATCH", "/api/orgs/xcorp", { name: "Nope Inc" }],
      ["GET", "/api/admin/mappings"],
      ["PUT", "/api/admin/orgs/xcorp/subscription", { mappingId: "00000000-0000-4000-8000-000000000000" }],
      ["PATCH", "/api/admin/roles/00000000-0000-4000-8000-000000000000", { name: "Boss" }],
      ["GET", "/api/admin/explain?email=a@b.c&org=xcorp&permission=a::b"],
    ];
    const expected = (path: string, who: "anon" | "member" | "otherOwner" | "support") => {
      if (who === "anon") return [401];
      if (path.startsWith("/api/admin")) return [404]; // support staff are not platform admins either
      if (who === "member") return path === "/api/orgs/xcorp/members" || path === "/api/orgs/xcorp/invitations" ? [403] : [403];
      return [404]; // another org's owner, or platform staff without a membership: no such org
    };
    for (const [method, path, data] of routes) {
      for (const [who, ctx] of [["anon", anon], ["member", member.request], ["otherOwner", otherOwner.request], ["support", platform.request]] as const) {
        const res = await ctx.fetch(path, { method, headers: { ...origin, "content-type": "application/json" }, data });
        expect(expected(path, who), `${who} ${method} ${path} → ${res.status()}`).toContain(res.status());
      }
    }
    // Pages: another org's members page shows "not found" (streamed, so the status line is already sent) and no data.
    const page = await otherOwner.newPage();
    await page.goto("/orgs/xcorp/members");
    await expect(page.getByText(/could not be found/)).toBeVisible();
    await expect(page.getByTestId("members")).toHaveCount(0);
    await expect(page.getByText("john@xcorp.example")).toHaveCount(0);
    for (const c of [member, otherOwner, platform]) await c.close();
    await anon.dispose();
  });
});

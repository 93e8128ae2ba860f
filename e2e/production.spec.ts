import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { totpCode } from "./pages/totp";
import { type AppServer, databaseKinds, freshDatabase, PRODUCTION_SECRETS, startAppServer } from "./support/app-server";
import { mailLink, startSmtpSink } from "./support/smtp-sink";

// A fresh production install, as an operator meets it: no demo, the first admin from the setup link
// in the server log, an org, an owner and a member invited by mail (through a local SMTP server).
// Once on embedded PGlite and, when DATABASE_URL is set, once on a new PostgreSQL database.

const basePort = Number(process.env.E2E_PORT ?? 3100);
const password = "amber-kettle-orchard-73";

test.describe.configure({ mode: "serial", timeout: 240_000 });

/** Sign up from an invitation mail, confirm the address by mail, give a name and join. */
async function joinFromInvitation(browser: Browser, server: AppServer, smtp: Awaited<ReturnType<typeof startSmtpSink>>, email: string, org: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const invitation = await smtp.waitFor(email, new RegExp(`invited you to ${org}`));
  await page.goto(mailLink(invitation, "/invite/"));
  await page.getByRole("link", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await page.goto(mailLink(await smtp.waitFor(email, /Confirm your email/), "/confirm-email/"));
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.getByLabel("Full name").fill(`${email.split("@")[0]} Person`);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: `Accept invitation to ${org}` }).click();
  await expect(page.getByRole("heading", { name: `You are a member of ${org}` })).toBeVisible();
  return page;
}

for (const [i, kind] of databaseKinds().entries()) {
  test.describe(`a production install on ${kind}`, () => {
    let server: AppServer;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let database: Awaited<ReturnType<typeof freshDatabase>>;

    test.beforeAll(async () => {
      smtp = await startSmtpSink();
      database = await freshDatabase(kind);
      // SEED_DEMO=true must be ignored in production.
      server = await startAppServer(basePort + 50 + i, { ...PRODUCTION_SECRETS, ...database.env, SMTP_URL: smtp.url, SEED_DEMO: "true" });
    });

    test.afterAll(async () => {
      await server?.stop();
      await smtp?.close();
      await database?.drop();
    });

    test("setup link → first admin with MFA → org → owner and member join by mail → both use the console", async ({ browser }) => {
      expect(server.output()).toContain("SEED_DEMO is ignored in production");
      expect(server.output()).not.toContain("demo tenants seeded");
      const token = server.output().match(/\/setup\?token=([\w-]+)/)?.[1];
      expect(token, "the setup link in the server log").toBeTruthy();
      expect((await fetch(`${server.url}/setup?token=wrong-${token}`)).status).toBe(404);
      // The development mailbox does not exist in production, page or API.
      expect((await fetch(`${server.url}/dev/mailbox`)).status).toBe(404);
      expect((await fetch(`${server.url}/api/dev/mailbox`)).status).toBe(404);

      // The operator creates the first platform admin.
      const adminContext = await browser.newContext({ baseURL: server.url });
      const admin = await adminContext.newPage();
      await admin.goto(`/setup?token=${token}`);
      await expect(admin).toHaveURL(/\/setup\/admin$/);
      await admin.getByLabel("Your email").fill("ops@acme.test");
      await admin.getByLabel("Your name").fill("Olga Operator");
      await admin.getByLabel("Password").fill(password);
      await admin.getByRole("button", { name: "Create platform admin" }).click();
      await expect(admin.getByRole("heading", { name: "Gatehouse is ready" })).toBeVisible();
      expect((await fetch(`${server.url}/setup?token=${token}`)).status).toBe(404);

      // Signing in, the admin enrolls in MFA (required for staff by the setup form's default).
      await admin.getByRole("link", { name: "Sign in" }).click();
      await new LoginPage(admin).signIn("ops@acme.test", password);
      await expect(admin.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
      const secret = (await admin.getByTestId("mfa-secret").textContent())!.replace(/\s/g, "");
      await admin.getByLabel("6-digit code").fill(totpCode(secret));
      await admin.getByRole("button", { name: "Turn on two-factor authentication" }).click();
      await admin.getByRole("button", { name: "I saved my backup codes" }).click();
      await admin.waitForURL(/\/(account|admin)/);
      await admin.waitForLoadState();

      // No demo tenants; the admin creates Acme on the default plan and invites its owner.
      await admin.goto("/admin/orgs");
      await expect(admin.getByText("XCorp")).toHaveCount(0);
      await expect(admin.getByLabel("Plan")).toHaveValue(/.+/);
      await admin.getByLabel("Organization name").fill("Acme");
      await admin.getByLabel("Slug").fill("acme");
      await admin.getByLabel("Owner email").fill("owner@acme.test");
      await admin.getByRole("button", { name: "Create organization" }).click();
      await expect(admin.getByText("Acme created")).toBeVisible();

      // The owner joins from the mailed invitation, then invites a member from the console.
      const owner = await joinFromInvitation(browser, server, smtp, "owner@acme.test", "Acme");
      await owner.goto("/orgs/acme/members");
      await owner.getByLabel("Email").fill("member@acme.test");
      await owner.getByRole("button", { name: "Send invitation" }).click();
      await expect(owner.getByText("Invitation sent to member@acme.test")).toBeVisible();

      const member = await joinFromInvitation(browser, server, smtp, "member@acme.test", "Acme");
      for (const page of [owner, member]) {
        await page.goto("/orgs/acme");
        await expect(page.getByTestId("org-name")).toHaveText("Acme");
      }
      await owner.goto("/orgs/acme/members");
      await expect(owner.getByTestId("member-member@acme.test")).toBeVisible();
      await adminContext.close();
    });
  });
}

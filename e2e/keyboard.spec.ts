import type { Browser, Locator, Page } from "@playwright/test";
import { expect, signedInContext, test } from "./fixtures";
import { latestMail, linkIn } from "./pages/mailbox";
import { totpCode } from "./pages/totp";

// A person who uses only the keyboard: signs in with a password and an authenticator code, invites a
// member and changes a member's role, without a mouse. Every control reached with Tab shows where
// the focus is (:focus-visible with an outline or a ring).

const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const origin = { origin: baseURL };
const stamp = Date.now();
const slug = `keys-${stamp}`;
const owner = `keys-owner-${stamp}@example.com`;
const colleague = `keys-colleague-${stamp}@example.com`;
const newcomer = `keys-newcomer-${stamp}@example.com`;
const password = "lantern-orchid-basalt-58";

/** Sign up from an invitation mail and join (set-up, not part of the keyboard journey). */
async function join(browser: Browser, email: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(linkIn((await latestMail(page.request, email, "invitation")).text));
  await page.getByRole("link", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await page.goto(linkIn((await latestMail(page.request, email, "email.confirm")).text));
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.getByLabel("Full name").fill(name);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: /^Accept invitation to / }).click();
  await expect(page.getByRole("heading", { name: /^You are a member of / })).toBeVisible();
  return context;
}

/** What the focused element looks like: whether it matches :focus-visible and draws an outline or a ring. */
async function focusState(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { described: "body", visible: false, drawn: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== "none" && /\d/.test(style.boxShadow);
    const described = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}"`;
    return { described, visible: el.matches(":focus-visible"), drawn: outline || ring };
  });
}

/** Press Tab (or Shift+Tab) until `target` has the focus, checking that every stop on the way shows its focus. */
async function tabTo(page: Page, target: Locator, { backwards = false, maxStops = 60 } = {}) {
  // Already there (the sign-in page puts the focus on the email field).
  if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const state = await focusState(page);
    expect(state.visible, `focus on ${state.described} is :focus-visible`).toBe(true);
    expect(state.drawn, `focus on ${state.described} draws an outline or a ring`).toBe(true);
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

test.describe.configure({ mode: "serial", timeout: 180_000 });

test("keyboard only: sign in with MFA, invite a member, change a role — focus always visible", async ({ browser, page }) => {
  // Set-up through the API and the mouse: a new org whose owner has two-factor on, and one colleague.
  const admin = await signedInContext(browser, "admin@gatehouse.example");
  expect((await admin.request.post("/api/admin/orgs", { headers: origin, data: { name: `Keys ${stamp}`, slug, ownerEmail: owner } })).status()).toBe(201);
  await admin.close();
  const ownerContext = await join(browser, owner, "Kim Keys");
  const enrol = await ownerContext.request.post("/api/account/mfa/enroll", { headers: origin });
  expect(enrol.status()).toBe(200);
  const { secret } = (await enrol.json()) as { secret: string };
  expect((await ownerContext.request.post("/api/account/mfa/confirm", { headers: origin, data: { code: totpCode(secret) } })).status()).toBe(200);
  expect((await ownerContext.request.post(`/api/orgs/${slug}/invitations`, { headers: origin, data: { email: colleague, roleKey: "member" } })).status()).toBe(201);
  await (await join(browser, colleague, "Cole Colleague")).close();

  // From here on: the keyboard only.
  await page.goto(`/login?next=${encodeURIComponent(`/orgs/${slug}`)}`);
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(owner);
  await tabTo(page, page.getByLabel("Password", { exact: true }));
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  const code = page.getByLabel("6-digit code");
  if (!(await code.evaluate((el) => el === document.activeElement))) await tabTo(page, code);
  await page.keyboard.type(totpCode(secret, 1)); // the enrolment's code is spent
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/orgs/${slug}$`));

  await tabTo(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/orgs/${slug}/members$`));
  await expect(page.getByTestId(`member-${colleague}`)).toBeVisible();

  // Invite a member.
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(newcomer);
  await tabTo(page, page.getByRole("button", { name: "Send invitation" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText(`Invitation sent to ${newcomer}`)).toBeVisible();
  // Toasts are announced: they sit in a polite live region.
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: `Invitation sent to ${newcomer}` })).toHaveCount(1);
  await expect(page.getByTestId("invitations").getByRole("row", { name: new RegExp(newcomer) })).toContainText("pending");

  // Change the colleague's role (the members table is above the invitations): back up with
  // Shift+Tab, open the select with Enter, pick Admin by typing, confirm with Enter.
  const roleSelect = page.getByRole("combobox", { name: `Role of ${colleague}` });
  await tabTo(page, roleSelect, { backwards: true });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("listbox")).toBeVisible();
  // Typeahead: typed while the list still animates in, the letters can go unheard; type until Admin is highlighted.
  const adminOption = page.getByRole("option", { name: "Admin", exact: true });
  await expect(async () => {
    await page.keyboard.type("Admin");
    await expect(adminOption).toHaveAttribute("data-highlighted", "", { timeout: 1500 });
  }).toPass({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  await expect(page.getByText("Role changed to Admin")).toBeVisible();
  await expect(roleSelect).toHaveText("Admin");

  // The server agrees.
  const members = (await (await ownerContext.request.get(`/api/orgs/${slug}/members`)).json()) as { members: { email: string; role: { key: string } }[] };
  expect(members.members.find((m) => m.email === colleague)?.role.key).toBe("admin");
  await ownerContext.close();
});

// Issue 18 end to end on the running app: personal and org API keys made in the console, validated by
// a small product backend (in this test) through the Node client; webhooks signed for standardwebhooks.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { createGatehouseClient, type GatehouseClient, verifyWebhook } from "../packages/node/src";
import { expect, signedInContext, test } from "./fixtures";
import { latestMail, linkIn } from "./pages/mailbox";

const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const origin = { origin: baseURL };
const newcomer = `nina-${Date.now()}@xcorp.example`;

test.describe.configure({ mode: "serial" });

let admin: BrowserContext;
let gatehouse: GatehouseClient;
let backend: Server;
let backendUrl = "";

/** The product's backend: the customer's key in X-Api-Key, validated with Gatehouse on each request. */
async function startBackend() {
  backend = createServer(async (req, res) => {
    const need = req.url === "/reports/export" ? "reports::export" : req.url === "/reports" ? "reports::read" : undefined;
    const v = await gatehouse.validateApiKey(String(req.headers["x-api-key"] ?? ""), { permission: need });
    if (!v.valid) return void res.writeHead(401).end(v.reason);
    if (!v.rateLimit.allowed) return void res.writeHead(429, { "retry-after": String(v.rateLimit.retryAfterSeconds) }).end();
    if (need && !v.permission?.granted) return void res.writeHead(403).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ who: v.key.user?.email ?? v.key.org?.slug }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}
const callBackend = (path: string, key: string) => fetch(`${backendUrl}${path}`, { headers: { "x-api-key": key } });

test.beforeAll(async ({ browser }) => {
  admin = await signedInContext(browser, "admin@gatehouse.example");
  const created = await admin.request.post("/api/admin/api-keys", { headers: origin, data: { name: "Product backend (e2e)" } });
  expect(created.status()).toBe(201);
  gatehouse = createGatehouseClient({ baseUrl: baseURL, apiKey: ((await created.json()) as { apiKey: { key: string } }).apiKey.key });
  await startBackend();
});

test.afterAll(async () => {
  await admin?.close();
  await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
});

test("a user signs up and creates a personal key; the backend accepts it up to its limit, then 429, and refuses it once revoked", async ({ page, request }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(newcomer);
  await page.getByLabel("Password", { exact: true }).fill("plum-tractor-violet-41");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await page.goto(linkIn((await latestMail(request, newcomer, "email.confirm")).text));
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.getByLabel("Full name").fill("Nina Newcomer");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Join XCorp" }).click();
  await expect(page).toHaveURL(/\/orgs\/xcorp$/);

  await page.goto("/account/api-keys");
  await page.getByLabel("Name").fill("My script");
  await page.getByLabel("Requests per minute").fill("3");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").locator("code").textContent())!.trim();
  expect(key).toMatch(/^ghk_live_/);

  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await callBackend("/me", key));
  expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
  expect(await answers[0]!.json()).toEqual({ who: newcomer });
  expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);

  await page.reload();
  const row = page.getByTestId("api-keys").getByRole("row", { name: /My script/ });
  await expect(row).toContainText("3/min");
  await expect(row).toContainText("active");
  await expect(row.getByRole("cell").nth(6)).toHaveText("4");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText('Key "My script" revoked')).toBeVisible();
  await expect(row).toContainText("revoked");
  const after = await callBackend("/me", key);
  expect(after.status).toBe(401);
  expect(await after.text()).toBe("revoked");
});

test("an org key limited to reports::read cannot reports::export, and loses reports::read when the org moves to a plan without it", async ({ browser }) => {
  const orgAdmin = await signedInContext(browser, "admin@xcorp.example");
  const page = await orgAdmin.newPage();
  await page.goto("/orgs/xcorp/api-keys");
  // A name of its own: a retry of this serial file runs on the same database, where the first try's key is listed too.
  const keyName = `Reporting ${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill(keyName);
  await page.getByLabel(/Only these permissions/).check();
  await page.getByLabel("reports::read").check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").locator("code").textContent())!.trim();
  await expect(page.getByTestId("api-keys").getByRole("row", { name: new RegExp(keyName) })).toContainText("reports::read");

  expect((await callBackend("/reports", key)).status).toBe(200);
  expect((await callBackend("/reports/export", key)).status).toBe(403);

  const plans = (await (await admin.request.get("/api/admin/mappings")).json()) as { mappings: { id: string; name: string }[] };
  const enterprise = plans.mappings.find((m) => m.name === "Enterprise")!;
  const made = await admin.request.post("/api/admin/mappings", { headers: origin, data: { name: `No reports ${Date.now()}`, description: "e2e" } });
  expect(made.status()).toBe(201);
  const bare = ((await made.json()) as { mapping: { id: string } }).mapping;
  try {
    expect((await admin.request.put("/api/admin/orgs/xcorp/subscription", { headers: origin, data: { mappingId: bare.id } })).status()).toBe(200);
    expect((await callBackend("/reports", key)).status).toBe(403);
    expect(await gatehouse.validateApiKey(key)).toMatchObject({ valid: true, key: { org: { slug: "xcorp" }, permissions: [] } });
  } finally {
    await admin.request.put("/api/admin/orgs/xcorp/subscription", { headers: origin, data: { mappingId: enterprise.id } });
  }
  expect((await callBackend("/reports", key)).status).toBe(200);
  // The typed client's other calls, against the same running app.
  expect((await gatehouse.getUser(newcomer))?.user.email).toBe(newcomer);
  expect(await gatehouse.checkPermission({ user: "admin@xcorp.example", org: "xcorp", permission: "reports::export" })).toBe(true);
  await orgAdmin.close();
});

test("webhooks: signed deliveries verified with standardwebhooks, the dev inbox, attempts and resend in the console, a private address refused", async ({ page }) => {
  // A receiver of our own (127.0.0.1: the demo allows private addresses for development).
  const got: { headers: Record<string, string>; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ headers: { "webhook-id": String(req.headers["webhook-id"]), "webhook-timestamp": String(req.headers["webhook-timestamp"]), "webhook-signature": String(req.headers["webhook-signature"]) }, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  try {
    const created = await admin.request.post("/api/admin/webhooks", { headers: origin, data: { url, eventTypes: ["org.updated"] } });
    expect(created.status()).toBe(201);
    const { endpoint } = (await created.json()) as { endpoint: { id: string; secret: string } };
    const owner = await signedInContext(page.context().browser()!, "owner@xcorp.example");
    expect((await owner.request.patch("/api/orgs/xcorp", { headers: origin, data: { name: "XCorp" } })).status()).toBe(200);
    await owner.close();
    await expect.poll(() => got.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const event = new Webhook(endpoint.secret).verify(got[0]!.body, got[0]!.headers) as { type: string; data: { slug: string } };
    expect(event).toMatchObject({ type: "org.updated", data: { slug: "xcorp" } });
    expect(verifyWebhook(endpoint.secret, got[0]!.headers, got[0]!.body).type).toBe("org.updated");
    await admin.request.delete(`/api/admin/webhooks/${endpoint.id}`, { headers: origin });
  } finally {
    receiver.close();
  }

  // The demo endpoint posts every event to the dev inbox, which checks the signature.
  await page.goto("/dev/webhooks");
  await expect(page.getByTestId("webhook").filter({ hasText: "api_key.created" }).first()).toContainText("signature valid");

  // The console: attempts with code and latency, resend, and the SSRF guard on registration.
  const staffPage = await admin.newPage();
  await staffPage.goto("/admin/webhooks");
  const demo = staffPage.getByTestId("webhook-endpoint").filter({ hasText: "/api/dev/webhooks" });
  const delivered = demo.getByTestId("webhook-delivery").filter({ hasText: "succeeded" }).first();
  await expect(delivered).toContainText(/200 · \d+ ms/);
  await delivered.getByRole("button", { name: "Resend" }).click();
  await expect(staffPage.getByText("Queued again")).toBeVisible();

  expect((await admin.request.patch("/api/admin/platform-settings", { headers: origin, data: { webhooks_allow_private_addresses: false } })).status()).toBe(200);
  try {
    await staffPage.getByLabel("Endpoint URL").fill("http://10.1.2.3/hooks");
    await staffPage.getByLabel("user.created").check();
    await staffPage.getByRole("button", { name: "Add endpoint" }).click();
    await expect(staffPage.getByText(/private address/).first()).toBeVisible();
  } finally {
    await admin.request.patch("/api/admin/platform-settings", { headers: origin, data: { webhooks_allow_private_addresses: true } });
  }
  await staffPage.close();
});

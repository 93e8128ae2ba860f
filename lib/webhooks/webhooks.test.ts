// Webhooks on a real database: outbox written with the change, Standard Webhooks signatures checked
// by the `standardwebhooks` package, retries while the receiver is down, order per object, the SSRF
// guard, auto-disable with a notice, resend.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/drizzle/schema";
import { getDb as appDb } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import { setPlatformSetting } from "@/lib/platform/settings";
import { seedDemo } from "@/lib/seed/demo";
import { createPersonalApiKey } from "@/lib/user-api-keys/create";
import { createUserApiKeySchema } from "@/lib/user-api-keys/schema";
import { useTestDatabase } from "@/test/db";
import { userByEmail } from "@/test/oauth";
import { verifyWebhook as clientVerify } from "@/packages/node/src";
import { emitWebhookEvent } from "./emit";
import { createWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints, resendWebhookDelivery, setWebhookEndpointEnabled } from "./endpoints";
import { runWebhookDeliveries, type WorkerOptions } from "./worker";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const getDb = useTestDatabase();
const ctx = systemContext();
const FAST: WorkerOptions = { retryBaseSeconds: 0.05, retryMaxSeconds: 3600, timeoutMs: 2000, disableAfterFailures: 1000 };

interface Received {
  id: string;
  body: string;
  headers: Record<string, string>;
}
let receiver: Server;
let receiverUrl: string;
let down = false;
let received: Received[] = [];

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = "";
    req.on("data", (c: Buffer) => (s += c.toString("utf8")));
    req.on("end", () => resolve(s));
  });

beforeAll(async () => {
  await seedDemo(getDb().db);
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    if (down) return void res.writeHead(503).end("down for maintenance");
    const headers = { "webhook-id": String(req.headers["webhook-id"]), "webhook-timestamp": String(req.headers["webhook-timestamp"]), "webhook-signature": String(req.headers["webhook-signature"]) };
    received.push({ id: headers["webhook-id"], body, headers });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
}, 60_000);

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function allowPrivate(value: boolean) {
  await getDb().db.transaction((tx) => setPlatformSetting(tx, "webhooks_allow_private_addresses", value));
}

/** Run delivery passes until nothing is pending (or the deadline). */
async function drain(opts = FAST, deadlineMs = 20_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    await runWebhookDeliveries(getDb().db, opts);
    const [pending] = await getDb().db.$count(webhookDeliveries, eq(webhookDeliveries.status, "pending")).then((n) => [n]);
    if (!pending || Date.now() > until) return;
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe("webhooks", () => {
  let secret: string;
  let endpointId: string;
  const staff = () => userByEmail(getDb().db, "admin@gatehouse.example");

  it("a private-address URL is refused at registration unless the development setting allows it", async () => {
    await allowPrivate(false);
    for (const url of ["http://127.0.0.1:9/x", "http://10.0.0.7/x", "http://[::1]/x", "http://169.254.169.254/latest", "http://localhost:9/x"]) {
      await expect(createWebhookEndpoint(await staff(), { url, description: "", eventTypes: ["*"] }, ctx)).rejects.toMatchObject({ status: 400 });
    }
    await allowPrivate(true);
    // The demo's own endpoint (the dev inbox) is switched off here: this file counts what its receiver gets.
    const demo = await getDb().db.select({ id: webhookEndpoints.id }).from(webhookEndpoints);
    for (const d of demo) await setWebhookEndpointEnabled(await staff(), d.id, false, ctx);
    const created = await createWebhookEndpoint(await staff(), { url: receiverUrl, description: "test receiver", eventTypes: ["*"] }, ctx);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const [row] = await getDb().db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id));
    expect(row!.secretSealed).not.toContain(created.secret.slice(6));
    secret = created.secret;
    endpointId = created.id;
  });

  it("the change and its event commit together: a rolled-back change leaves no event", async () => {
    const { db } = getDb();
    const before = await db.$count(webhookEvents);
    await expect(
      db.transaction(async (tx) => {
        await emitWebhookEvent(tx, "org.updated", "org:rolled-back", { n: 1 });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.$count(webhookEvents)).toBe(before);
  });

  it("receiver down, then up: every delivery retried and arrives, in order per object, each signature valid for standardwebhooks", async () => {
    const { db } = getDb();
    received = [];
    down = true;
    // A real change (a personal key) and 3 objects × 5 changes each, interleaved.
    const john = await userByEmail(db, "john@xcorp.example");
    const key = await createPersonalApiKey(john, createUserApiKeySchema.parse({ name: "Hooked", expiresInDays: 1 }), ctx);
    for (let n = 1; n <= 5; n++) {
      for (const obj of ["a", "b", "c"]) await db.transaction((tx) => emitWebhookEvent(tx, "org.updated", `org:${obj}`, { obj, n }));
    }
    // A few passes while the receiver answers 503: attempts are recorded, nothing is lost.
    for (let i = 0; i < 4; i++) {
      await runWebhookDeliveries(db, FAST);
      await new Promise((r) => setTimeout(r, 120));
    }
    expect(received).toHaveLength(0);
    const failed = await db.select().from(webhookAttempts).where(eq(webhookAttempts.statusCode, 503));
    expect(failed.length).toBeGreaterThanOrEqual(4);
    down = false;
    await drain();

    expect(received).toHaveLength(16);
    const wh = new Webhook(secret);
    const events = received.map((r) => wh.verify(r.body, r.headers) as { type: string; data: { obj?: string; n?: number; id?: string } });
    for (const obj of ["a", "b", "c"]) expect(events.filter((e) => e.data.obj === obj).map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5]);
    expect(events.find((e) => e.type === "api_key.created")?.data.id).toBe(key.id);
    // Our Node client's verifier agrees, and refuses a tampered body.
    expect(clientVerify(secret, received[0]!.headers, received[0]!.body).type).toBeTruthy();
    expect(() => clientVerify(secret, received[0]!.headers, received[0]!.body.replace("}", ' }'))).toThrow();
    expect(() => wh.verify(received[0]!.body + " ", received[0]!.headers)).toThrow();
    // Each delivery's attempts are visible: 503s then a success with its latency.
    const deliveries = await listWebhookDeliveries(endpointId, 100);
    expect(deliveries.every((d) => d.status === "succeeded")).toBe(true);
    const first = deliveries.find((d) => d.attemptList.length > 1)!;
    expect(first.attemptList.map((a) => a.statusCode)).toEqual([...Array(first.attemptList.length - 1).fill(503), 204]);
  }, 60_000);

  it("two workers at once never send the same delivery twice", async () => {
    const { db } = getDb();
    received = [];
    for (let n = 0; n < 30; n++) await db.transaction((tx) => emitWebhookEvent(tx, "user.updated", `user:${n}`, { n }));
    await Promise.all([runWebhookDeliveries(db, { ...FAST, batchSize: 10 }), runWebhookDeliveries(appDb(), { ...FAST, batchSize: 10 }), runWebhookDeliveries(db, { ...FAST, batchSize: 10 })]);
    await drain();
    const ids = received.map((r) => r.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  }, 30_000);

  it("resend delivers the same message (same webhook-id) again", async () => {
    const { db } = getDb();
    received = [];
    const [last] = await listWebhookDeliveries(endpointId, 1);
    await resendWebhookDelivery(await staff(), last!.id, ctx);
    await drain();
    expect(received.map((r) => r.id)).toEqual([last!.eventId]);
    const resent = await db.select().from(auditEvents).where(eq(auditEvents.action, "webhook.delivery_resent"));
    expect(resent).toHaveLength(1);
  });

  it("an endpoint that keeps failing is switched off with a notice; a private target is refused at delivery when the setting is off", async () => {
    const { db } = getDb();
    const broken = await createWebhookEndpoint(await staff(), { url: "http://127.0.0.1:9/closed", description: "", eventTypes: ["org.updated"] }, ctx);
    await db.transaction((tx) => emitWebhookEvent(tx, "org.updated", "org:z", { z: true }));
    const opts = { ...FAST, disableAfterFailures: 3 };
    for (let i = 0; i < 10; i++) {
      await runWebhookDeliveries(db, opts);
      await new Promise((r) => setTimeout(r, 120));
    }
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, broken.id));
    expect(row).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    expect(row!.disabledReason).toMatch(/3 attempts in a row failed/);
    const listed = await listWebhookEndpoints();
    expect(listed.find((e) => e.id === broken.id)).toMatchObject({ enabled: false, pending: 1, disabledReason: row!.disabledReason });
    const notice = await db.select().from(auditEvents).where(eq(auditEvents.action, "webhook.endpoint_auto_disabled"));
    expect(notice.map((e) => e.targetId)).toEqual([broken.id]);

    // The guard at connect time: private addresses off → the attempt fails without reaching the receiver.
    received = [];
    await allowPrivate(false);
    try {
      await db.transaction((tx) => emitWebhookEvent(tx, "user.updated", "user:guarded", {}));
      await runWebhookDeliveries(db, FAST);
      expect(received).toHaveLength(0);
      const [d] = await listWebhookDeliveries(endpointId, 1);
      expect(d!.lastError).toMatch(/private address/);
    } finally {
      await allowPrivate(true);
    }
  }, 30_000);
});

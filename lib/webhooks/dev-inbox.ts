import "server-only";
import { desc, eq } from "drizzle-orm";
import { devWebhookInbox, webhookEndpoints } from "@/drizzle/schema";
import { decryptSecret } from "@/lib/crypto";
import { type Executor, getDb } from "@/lib/db";
import { verifyWebhookSignature } from "./sign";

/** The path the demo's webhook endpoint posts to (development only). */
export const DEV_INBOX_PATH = "/api/dev/webhooks";

/** Keep what arrived, marked verified when it carries a valid signature of an endpoint pointing here. */
export async function receiveDevWebhook(headers: Headers, body: string, db: Executor = getDb()): Promise<{ verified: boolean }> {
  const id = headers.get("webhook-id") ?? "";
  const timestamp = headers.get("webhook-timestamp") ?? "";
  const signature = headers.get("webhook-signature") ?? "";
  const endpoints = await db.select({ url: webhookEndpoints.url, secretSealed: webhookEndpoints.secretSealed }).from(webhookEndpoints);
  const verified = endpoints
    .filter((e) => new URL(e.url).pathname === DEV_INBOX_PATH)
    .some((e) => {
      try {
        return verifyWebhookSignature(decryptSecret(e.secretSealed), { id, timestamp, signature }, body);
      } catch {
        return false;
      }
    });
  await db.insert(devWebhookInbox).values({ headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature }, body, verified });
  return { verified };
}

export async function listDevWebhooks(limit = 100, db: Executor = getDb()) {
  return db.select().from(devWebhookInbox).orderBy(desc(devWebhookInbox.id)).limit(limit);
}

export async function findDevWebhook(id: number, db: Executor = getDb()) {
  const [row] = await db.select().from(devWebhookInbox).where(eq(devWebhookInbox.id, id));
  return row ?? null;
}

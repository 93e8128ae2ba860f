import "server-only";
import { webhookEndpoints } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { encryptSecret } from "@/lib/crypto";
import type { Tx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { systemContext } from "@/lib/http/request-context";
import { setPlatformSetting } from "@/lib/platform/settings";
import { DEV_INBOX_PATH } from "./dev-inbox";
import { newWebhookSecret } from "./sign";

/**
 * The demo's webhook: every event to the development inbox of this app (/dev/webhooks). It is on
 * this machine, so the demo also allows private webhook addresses (a development-only setting).
 */
export async function seedDemoWebhook(tx: Tx): Promise<void> {
  const env = getEnv();
  if (!env.DEV_MAILBOX) return;
  const url = `${env.APP_URL}${DEV_INBOX_PATH}`;
  await setPlatformSetting(tx, "webhooks_allow_private_addresses", true);
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({ url, description: "Demo: the development webhook inbox", eventTypes: ["*"], secretSealed: encryptSecret(newWebhookSecret()) })
    .returning({ id: webhookEndpoints.id });
  await recordAudit(tx, {
    orgId: null,
    actor: { type: "system", id: "seed", name: "Demo seed" },
    action: "webhook.endpoint_created",
    target: { type: "webhook_endpoint", id: row!.id, name: url },
    context: systemContext(),
    metadata: { eventTypes: ["*"], demo: true },
  });
}

import { getEnv } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { readText } from "@/lib/http/body";
import { json, route } from "@/lib/http/route";
import { listDevWebhooks, receiveDevWebhook } from "@/lib/webhooks/dev-inbox";

// GET /api/dev/webhooks — what the demo webhook delivered, for development and tests; 404 in production
export const GET = route(async () => {
  if (!getEnv().DEV_MAILBOX) throw notFound();
  return json({ messages: await listDevWebhooks() });
});

// POST /api/dev/webhooks — the demo webhook's receiver (checks the Standard Webhooks signature); 404 in production
export const POST = route(async ({ req }) => {
  if (!getEnv().DEV_MAILBOX) throw notFound();
  const body = await readText(req, 256 * 1024);
  return json(await receiveDevWebhook(req.headers, body));
});

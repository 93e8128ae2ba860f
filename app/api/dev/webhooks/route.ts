import { getEnv } from "@/lib/env";
import { badRequest, notFound } from "@/lib/errors";
import { readText } from "@/lib/http/body";
import { assertCleanStrings } from "@/lib/http/clean-strings";
import { json, route } from "@/lib/http/route";
import { listDevWebhooks, receiveDevWebhook } from "@/lib/webhooks/dev-inbox";

// GET /api/dev/webhooks — what the demo webhook delivered, for development and tests; 404 in production
export const GET = route(async () => {
  if (!getEnv().DEV_MAILBOX) throw notFound();
  return json({ messages: await listDevWebhooks() });
});

// POST /api/dev/webhooks — the demo webhook's receiver (checks the Standard Webhooks signature over the raw body); 404 in production
export const POST = route(async ({ req }) => {
  if (!getEnv().DEV_MAILBOX) throw notFound();
  // The raw text is what was signed; it must still be clean JSON to be kept.
  const body = await readText(req, 256 * 1024);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw badRequest("The body is not valid JSON.", "invalid_json");
  }
  assertCleanStrings(value);
  return json(await receiveDevWebhook(req.headers, body));
});

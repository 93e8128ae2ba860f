import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { deleteWebhookEndpoint, setWebhookEndpointEnabled, updateWebhookSchema } from "@/lib/webhooks/endpoints";

// PATCH /api/admin/webhooks/[id] — switch an endpoint on or off, optionally re-describe it (platform admin; audited)
export const PATCH = withPlatformStaff<{ id: string }>(async ({ req, params, user, context }) => {
  const id = validate(z.uuid(), params.id);
  const input = await readJson(req, updateWebhookSchema);
  await setWebhookEndpointEnabled(user, id, input.enabled, context, input.description);
  return json({ ok: true });
});

// DELETE /api/admin/webhooks/[id] — remove an endpoint and its pending deliveries (platform admin; audited)
export const DELETE = withPlatformStaff<{ id: string }>(async ({ params, user, context }) => {
  await deleteWebhookEndpoint(user, validate(z.uuid(), params.id), context);
  return json({ ok: true });
});

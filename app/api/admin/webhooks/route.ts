import { readJson } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { createWebhookEndpoint, createWebhookSchema, listWebhookEndpoints } from "@/lib/webhooks/endpoints";

// GET /api/admin/webhooks — webhook endpoints with their state (platform admin)
export const GET = withPlatformStaff(async () => json({ endpoints: await listWebhookEndpoints() }));

// POST /api/admin/webhooks — register an endpoint; the whsec_ secret is in this answer only (audited)
export const POST = withPlatformStaff(async ({ req, user, context }) =>
  json({ endpoint: await createWebhookEndpoint(user, await readJson(req, createWebhookSchema), context) }, { status: 201 }),
);

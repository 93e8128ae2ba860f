import { createApiKey, createApiKeySchema, listApiKeys } from "@/lib/api-keys";
import { readJson } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";

// GET /api/admin/api-keys — platform API keys (never the secret)
export const GET = withPlatformStaff(async () => json({ apiKeys: await listApiKeys() }));

// POST /api/admin/api-keys — create a key; the secret is in this answer only
export const POST = withPlatformStaff(async ({ req, user, context }) =>
  json({ apiKey: await createApiKey(user, await readJson(req, createApiKeySchema), context) }, { status: 201 }),
);

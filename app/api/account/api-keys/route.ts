import { readJson } from "@/lib/http/body";
import { json, withUser } from "@/lib/http/route";
import { createPersonalApiKey } from "@/lib/user-api-keys/create";
import { listPersonalApiKeys } from "@/lib/user-api-keys/list";
import { createUserApiKeySchema } from "@/lib/user-api-keys/schema";

// GET /api/account/api-keys — the signed-in user's personal API keys (never the secret)
export const GET = withUser(async ({ user }) => json({ apiKeys: await listPersonalApiKeys(user.id) }));

// POST /api/account/api-keys — create a personal key; the secret is in this answer only (audited)
export const POST = withUser(async ({ req, user, context }) =>
  json({ apiKey: await createPersonalApiKey(user, await readJson(req, createUserApiKeySchema), context) }, { status: 201 }),
);

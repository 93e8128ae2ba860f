import { readJson } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { createOrgApiKey } from "@/lib/user-api-keys/create";
import { listOrgApiKeys } from "@/lib/user-api-keys/list";
import { createUserApiKeySchema } from "@/lib/user-api-keys/schema";

// GET /api/orgs/[slug]/api-keys — the org's API keys (api_keys::manage)
export const GET = withOrg(async ({ org }) => json({ apiKeys: await listOrgApiKeys(org.id) }), { permission: "api_keys::manage" });

// POST /api/orgs/[slug]/api-keys — create an org key; the secret is in this answer only (api_keys::manage; audited)
export const POST = withOrg(
  async ({ req, user, org, context }) =>
    json({ apiKey: await createOrgApiKey(user, org, await readJson(req, createUserApiKeySchema), context) }, { status: 201 }),
  { permission: "api_keys::manage" },
);

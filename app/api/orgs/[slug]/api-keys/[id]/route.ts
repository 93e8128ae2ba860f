import { json, withOrg } from "@/lib/http/route";
import { revokeUserApiKey } from "@/lib/user-api-keys/revoke";

// DELETE /api/orgs/[slug]/api-keys/[id] — revoke an org key (api_keys::manage; audited)
export const DELETE = withOrg<{ slug: string; id: string }>(
  async ({ params, user, org, context }) => {
    await revokeUserApiKey(user, { orgId: org.id }, params.id, context);
    return json({ ok: true });
  },
  { permission: "api_keys::manage" },
);

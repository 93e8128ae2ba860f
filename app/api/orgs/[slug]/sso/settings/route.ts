import { readJson } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { ssoSettingsSchema } from "@/lib/sso/schemas";
import { updateSsoSettings } from "@/lib/sso/settings";

// PUT /api/orgs/[slug]/sso/settings — require SSO for claimed domains, name the break-glass Owner (needs sso::manage)
export const PUT = withOrg<{ slug: string }>(
  async ({ req, user, org, context }) => {
    await updateSsoSettings(org.id, user, await readJson(req, ssoSettingsSchema), context);
    return json({ ok: true });
  },
  { permission: "sso::manage" },
);

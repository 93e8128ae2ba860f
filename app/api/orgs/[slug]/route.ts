import { json, withOrg } from "@/lib/http/route";
import { readJson } from "@/lib/http/body";
import { orgSettingsSchema, updateOrgSettings } from "@/lib/orgs/settings";

// GET /api/orgs/[slug] — the org and the caller's role in it
export const GET = withOrg<{ slug: string }>(async ({ org, role }) => json({ org, role }));

// PATCH /api/orgs/[slug] — change the org's settings (needs org::manage)
export const PATCH = withOrg<{ slug: string }>(
  async ({ req, user, org, context }) => {
    const input = await readJson(req, orgSettingsSchema);
    return json({ org: await updateOrgSettings(user, org, input, context) });
  },
  { permission: "org::manage" },
);

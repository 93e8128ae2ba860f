import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { setConnectionEnabled } from "@/lib/sso/connections";
import { enableSchema } from "@/lib/sso/schemas";

// POST /api/orgs/[slug]/sso/connections/[id]/enable — turn a tested connection on or off (needs sso::manage)
export const POST = withOrg<{ slug: string; id: string }>(
  async ({ req, params, user, org, context }) => {
    const id = validate(z.uuid("No such connection."), params.id);
    const { enabled, reason } = await readJson(req, enableSchema);
    await setConnectionEnabled(org.id, user, id, enabled, context, reason);
    return json({ ok: true, enabled });
  },
  { permission: "sso::manage" },
);

import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { changeConnection } from "@/lib/sso/connections";
import { connectionChangeSchema } from "@/lib/sso/schemas";

// PATCH /api/orgs/[slug]/sso/connections/[id] — change settings, secret or role rules (needs sso::manage)
export const PATCH = withOrg<{ slug: string; id: string }>(
  async ({ req, params, user, org, context }) => {
    const id = validate(z.uuid("No such connection."), params.id);
    await changeConnection(org.id, user, id, await readJson(req, connectionChangeSchema), context);
    return json({ ok: true });
  },
  { permission: "sso::manage" },
);

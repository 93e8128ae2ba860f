import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { changeMemberRole, changeRoleSchema, removeMember } from "@/lib/orgs/members";

type Params = { slug: string; userId: string };
const userId = (p: Params) => validate(z.uuid("Not a member id"), p.userId);

// PATCH /api/orgs/[slug]/members/[userId] — change a member's role (needs members::manage)
export const PATCH = withOrg<Params>(
  async ({ req, params, user, org, role, context }) => {
    const input = await readJson(req, changeRoleSchema);
    return json({ role: await changeMemberRole(user, { org, role }, userId(params), input, context) });
  },
  { permission: "members::manage" },
);

// DELETE /api/orgs/[slug]/members/[userId] — remove a member; their grants for this org end too
export const DELETE = withOrg<Params>(
  async ({ params, user, org, role, context }) => {
    await removeMember(user, { org, role }, userId(params), context);
    return json({ ok: true });
  },
  { permission: "members::manage" },
);

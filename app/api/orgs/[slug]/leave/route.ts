import { json, withOrg } from "@/lib/http/route";
import { leaveOrg } from "@/lib/orgs/members";

// POST /api/orgs/[slug]/leave — leave the org (the last Owner must transfer ownership first)
export const POST = withOrg<{ slug: string }>(async ({ user, org, role, context }) => {
  await leaveOrg(user, { org, role }, context);
  return json({ ok: true });
});

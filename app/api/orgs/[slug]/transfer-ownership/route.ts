import { readJson } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { transferOwnership, transferOwnershipSchema } from "@/lib/orgs/members";

// POST /api/orgs/[slug]/transfer-ownership — an Owner makes another member Owner and steps down
export const POST = withOrg<{ slug: string }>(async ({ req, user, org, role, context }) => {
  const { userId } = await readJson(req, transferOwnershipSchema);
  await transferOwnership(user, { org, role }, userId, context);
  return json({ ok: true });
});

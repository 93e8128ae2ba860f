import { createInvitation, createInvitationSchema } from "@/lib/invitations/create";
import { readJson } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";

// POST /api/orgs/[slug]/invitations — invite someone by email with a role (needs members::manage)
export const POST = withOrg<{ slug: string }>(
  async ({ req, user, org, role, context }) => {
    const input = await readJson(req, createInvitationSchema);
    const { invitation } = await createInvitation(user, { org, role }, input, context);
    return json({ invitation }, { status: 201 });
  },
  { permission: "members::manage" },
);

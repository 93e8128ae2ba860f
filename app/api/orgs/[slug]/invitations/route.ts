import { createInvitation, createInvitationSchema } from "@/lib/invitations/create";
import { readJson } from "@/lib/http/body";
import { listInvitations } from "@/lib/invitations/manage";
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

// GET /api/orgs/[slug]/invitations — the org's invitations with their status (admins and up)
export const GET = withOrg<{ slug: string }>(async ({ org }) => json({ invitations: await listInvitations(org.id) }), {
  minRole: "admin",
});

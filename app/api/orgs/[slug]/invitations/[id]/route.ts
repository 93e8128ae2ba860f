import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { revokeInvitation } from "@/lib/invitations/manage";

// DELETE /api/orgs/[slug]/invitations/[id] — withdraw a pending invitation (needs members::manage)
export const DELETE = withOrg<{ slug: string; id: string }>(
  async ({ params, user, org, role, context }) => {
    await revokeInvitation(user, { org, role }, validate(z.uuid("Not an invitation id"), params.id), context);
    return json({ ok: true });
  },
  { permission: "members::manage" },
);

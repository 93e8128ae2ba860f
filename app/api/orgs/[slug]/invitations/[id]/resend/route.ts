import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { resendInvitation } from "@/lib/invitations/manage";

// POST /api/orgs/[slug]/invitations/[id]/resend — mail a pending invitation again with a fresh link
export const POST = withOrg<{ slug: string; id: string }>(
  async ({ params, user, org, role, context }) => {
    const { invitation } = await resendInvitation(user, { org, role }, validate(z.uuid("Not an invitation id"), params.id), context);
    return json({ invitation });
  },
  { permission: "members::manage" },
);

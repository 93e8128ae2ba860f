import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { requirePasswordChangeInOrg } from "@/lib/login-flow/require-password-change";

type Params = { slug: string; userId: string };

// POST /api/orgs/[slug]/members/[userId]/require-password-change — a member within the caller's rank
// sets a new password at next sign-in (needs members::manage)
export const POST = withOrg<Params>(
  async ({ params, user, org, role, context }) => {
    await requirePasswordChangeInOrg(user, { org, role }, validate(z.uuid("Not a member id"), params.userId), context);
    return json({ ok: true });
  },
  { permission: "members::manage" },
);

import { z } from "zod";
import { grantSupportAccess } from "@/lib/audit/support-access";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { withSupport } from "@/lib/http/support";

const body = z.object({
  /** The org to open; omitted for a search across all orgs. */
  org: z.string().trim().min(1).max(48).optional(),
  reason: z.string().trim().min(3, "Give a reason, such as a ticket id.").max(500),
});

// POST /api/audit/access — support staff state why they open an org's audit log; recorded, returns an access token
export const POST = withSupport(async ({ req, user, context }) => {
  const input = await readJson(req, body);
  const { token, access } = await grantSupportAccess({ user, orgSlug: input.org ?? null, reason: input.reason, context });
  return json({ token, access }, { status: 201 });
});

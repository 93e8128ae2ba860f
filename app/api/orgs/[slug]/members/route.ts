import { json, withOrg } from "@/lib/http/route";
import { validate } from "@/lib/http/body";
import { listMembers, listMembersSchema } from "@/lib/orgs/members";

// GET /api/orgs/[slug]/members?search=&after= — the org's members (admins and up)
export const GET = withOrg<{ slug: string }>(
  async ({ req, org }) => {
    const params = Object.fromEntries(new URL(req.url).searchParams);
    return json(await listMembers(org.id, validate(listMembersSchema, params)));
  },
  { minRole: "admin" },
);

import { notFound } from "@/lib/errors";
import { withApiKey } from "@/lib/http/api-key";
import { validate } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { listMembers, listMembersSchema } from "@/lib/orgs/members";
import { orgBySlug } from "@/lib/users/lookup";

// GET /api/v1/orgs/[slug]/members?after=&limit= — an org's members (platform API key)
export const GET = withApiKey<{ slug: string }>(async ({ req, params }) => {
  const org = await orgBySlug(params.slug);
  if (!org) throw notFound("No such organization.");
  return json(await listMembers(org.id, validate(listMembersSchema, Object.fromEntries(new URL(req.url).searchParams))));
});

import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { previewSubscription, subscribeOrg } from "@/lib/plans/mappings";

const bodySchema = z.object({ mappingId: z.uuid() }).strict();

// GET /api/admin/orgs/[slug]/subscription?mappingId= — preview: who gains and loses what on that plan
export const GET = withPlatformStaff<{ slug: string }>(async ({ req, params }) => {
  const mappingId = validate(z.uuid("Choose a mapping"), new URL(req.url).searchParams.get("mappingId"));
  return json(await previewSubscription(params.slug, mappingId));
});

// PUT /api/admin/orgs/[slug]/subscription — move the org to another plan
export const PUT = withPlatformStaff<{ slug: string }>(async ({ req, params, user, context }) => {
  const { mappingId } = await readJson(req, bodySchema);
  return json(await subscribeOrg(user, params.slug, mappingId, context));
});

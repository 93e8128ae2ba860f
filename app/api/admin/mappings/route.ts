import { readJson } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { createMapping, listMappings, mappingSchema } from "@/lib/plans/mappings";

// GET /api/admin/mappings — every role mapping (plan) with its subscriber count
export const GET = withPlatformStaff(async () => json({ mappings: await listMappings() }));

// POST /api/admin/mappings — create a mapping, optionally as a copy of another
export const POST = withPlatformStaff(async ({ req, user, context }) => {
  const mapping = await createMapping(user, await readJson(req, mappingSchema), context);
  return json({ mapping }, { status: 201 });
});

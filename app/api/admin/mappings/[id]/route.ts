import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { updateMapping, updateMappingSchema } from "@/lib/plans/mappings";

// PATCH /api/admin/mappings/[id] — rename a mapping, or make it the default plan for new orgs
export const PATCH = withPlatformStaff<{ id: string }>(async ({ req, params, user, context }) => {
  await updateMapping(user, validate(z.uuid(), params.id), await readJson(req, updateMappingSchema), context);
  return json({ ok: true });
});

import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { renameMapping, renameMappingSchema } from "@/lib/plans/mappings";

// PATCH /api/admin/mappings/[id] — rename a mapping
export const PATCH = withPlatformStaff<{ id: string }>(async ({ req, params, user, context }) => {
  await renameMapping(user, validate(z.uuid(), params.id), await readJson(req, renameMappingSchema), context);
  return json({ ok: true });
});

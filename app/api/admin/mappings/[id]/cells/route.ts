import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { cellsSchema, setMappingCells } from "@/lib/plans/mappings";

// PUT /api/admin/mappings/[id]/cells — replace the role × permission matrix (audited: cells added/removed)
export const PUT = withPlatformStaff<{ id: string }>(async ({ req, params, user, context }) =>
  json(await setMappingCells(user, validate(z.uuid(), params.id), await readJson(req, cellsSchema, 512 * 1024), context)),
);

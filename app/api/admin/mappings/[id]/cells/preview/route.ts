import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { cellsSchema, previewMappingCells } from "@/lib/plans/mappings";

// POST /api/admin/mappings/[id]/cells/preview — what saving this matrix would change, per org and role (saves nothing)
export const POST = withPlatformStaff<{ id: string }>(async ({ req, params }) =>
  json(await previewMappingCells(validate(z.uuid(), params.id), await readJson(req, cellsSchema, 512 * 1024))),
);

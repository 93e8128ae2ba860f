import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { deleteRole, renameRole, renameRoleSchema } from "@/lib/rbac/admin";

// PATCH /api/admin/roles/[id] — rename a role
export const PATCH = withPlatformStaff<{ id: string }>(async ({ req, params, user, context }) => {
  await renameRole(user, validate(z.uuid(), params.id), await readJson(req, renameRoleSchema), context);
  return json({ ok: true });
});

// DELETE /api/admin/roles/[id] — delete a role nobody holds
export const DELETE = withPlatformStaff<{ id: string }>(async ({ params, user, context }) => {
  await deleteRole(user, validate(z.uuid(), params.id), context);
  return json({ ok: true });
});

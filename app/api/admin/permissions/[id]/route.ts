import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { deprecatePermission } from "@/lib/rbac/admin";

// DELETE /api/admin/permissions/[id] — deprecate a permission (it keeps working where granted)
export const DELETE = withPlatformStaff<{ id: string }>(async ({ params, user, context }) => {
  await deprecatePermission(user, validate(z.string().max(100), decodeURIComponent(params.id)), context);
  return json({ ok: true });
});

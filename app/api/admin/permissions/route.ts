import { readJson } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { createPermission, createPermissionSchema } from "@/lib/rbac/admin";
import { listPermissionIds } from "@/lib/plans/mappings";

// GET /api/admin/permissions — every permission
export const GET = withPlatformStaff(async () => json({ permissions: await listPermissionIds() }));

// POST /api/admin/permissions — create a feature::action permission
export const POST = withPlatformStaff(async ({ req, user, context }) => {
  await createPermission(user, await readJson(req, createPermissionSchema), context);
  return json({ ok: true }, { status: 201 });
});

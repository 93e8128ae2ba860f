import { readJson } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { createRole, createRoleSchema } from "@/lib/rbac/admin";
import { listRoles } from "@/lib/rbac/roles";

// GET /api/admin/roles — roles, highest first
export const GET = withPlatformStaff(async () => json({ roles: await listRoles() }));

// POST /api/admin/roles — add a custom role below another one
export const POST = withPlatformStaff(async ({ req, user, context }) =>
  json({ role: await createRole(user, await readJson(req, createRoleSchema), context) }, { status: 201 }),
);

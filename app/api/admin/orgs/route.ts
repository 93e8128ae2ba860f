import { readJson } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { listAllOrgs } from "@/lib/orgs/admin-list";
import { createOrgAsStaff, createOrgSchema } from "@/lib/orgs/create";

// GET /api/admin/orgs?q= — every org with its plan and member count
export const GET = withPlatformStaff(async ({ req }) => json({ orgs: await listAllOrgs(new URL(req.url).searchParams.get("q")?.slice(0, 100) ?? undefined) }));

// POST /api/admin/orgs — create an org on a plan and invite its first owner
export const POST = withPlatformStaff(async ({ req, user, context }) =>
  json({ org: await createOrgAsStaff(user, await readJson(req, createOrgSchema), context) }, { status: 201 }),
);

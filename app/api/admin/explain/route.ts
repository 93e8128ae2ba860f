import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { explainPermission } from "@/lib/rbac/explain";

const query = z.object({ email: z.string().min(3).max(320), org: z.string().min(1).max(64), permission: z.string().min(3).max(100) });

// GET /api/admin/explain?email=&org=&permission= — why a user has or lacks a permission in an org
export const GET = withPlatformStaff(async ({ req }) => {
  const q = validate(query, Object.fromEntries(new URL(req.url).searchParams));
  return json(await explainPermission(q.email, q.org, q.permission));
});

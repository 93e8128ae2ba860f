import { z } from "zod";
import { notFound } from "@/lib/errors";
import { withApiKey } from "@/lib/http/api-key";
import { validate } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { hasPermission, isAtLeastRole } from "@/lib/rbac";
import { lookupUser, orgBySlug } from "@/lib/users/lookup";

const query = z
  .object({ user: z.string().min(3).max(320), org: z.string().min(1).max(64), permission: z.string().max(100).optional(), role: z.string().max(64).optional() })
  .refine((q) => Boolean(q.permission) !== Boolean(q.role), "Ask for exactly one of permission or role.");

// GET /api/v1/check?user=&org=&permission= (or &role=) — hasPermission / isAtLeastRole (platform API key)
export const GET = withApiKey(async ({ req }) => {
  const q = validate(query, Object.fromEntries(new URL(req.url).searchParams));
  const [found, org] = await Promise.all([lookupUser(q.user), orgBySlug(q.org)]);
  if (!found) throw notFound("No such user.");
  if (!org) throw notFound("No such organization.");
  const allowed = q.permission ? await hasPermission(found.user.id, org.id, q.permission) : await isAtLeastRole(found.user.id, org.id, q.role!);
  return json({ allowed, user: found.user.id, org: org.slug, ...(q.permission ? { permission: q.permission } : { role: q.role }) });
});

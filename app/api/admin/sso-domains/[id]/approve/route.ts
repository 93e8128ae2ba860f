import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { approveDomain } from "@/lib/sso/domains";

// POST /api/admin/sso-domains/[id]/approve — platform staff verify a domain claim (the offline path)
export const POST = withPlatformStaff<{ id: string }>(async ({ params, user, context }) => {
  const id = validate(z.uuid("No such domain claim."), params.id);
  await approveDomain(user, id, context);
  return json({ ok: true });
}, "admin");

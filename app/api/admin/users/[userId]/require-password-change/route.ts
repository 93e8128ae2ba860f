import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { requirePasswordChangeByStaff } from "@/lib/login-flow/require-password-change";

// POST /api/admin/users/[userId]/require-password-change — the user sets a new password at next sign-in
export const POST = withPlatformStaff<{ userId: string }>(async ({ params, user, context }) => {
  await requirePasswordChangeByStaff(user, validate(z.uuid("Not a user id"), params.userId), context);
  return json({ ok: true });
});

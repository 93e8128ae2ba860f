import { resetPassword, resetPasswordSchema } from "@/lib/login-flow/link-steps";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/reset — set a new password with a reset token (single use)
export const POST = sameOriginRoute(async ({ req, context }) => {
  await resetPassword(await readJson(req, resetPasswordSchema), context);
  return json({ ok: true });
});

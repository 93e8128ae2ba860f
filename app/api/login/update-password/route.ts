import { newPasswordSchema, updateRequiredPassword } from "@/lib/login-flow/profile-steps";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/update-password — UPDATE_PASSWORD_REQUIRED: set a new password
export const POST = sameOriginRoute(async ({ req, context }) => {
  await updateRequiredPassword(await readJson(req, newPasswordSchema), context);
  return json({ ok: true });
});

import { newPasswordSchema, updateRequiredPassword } from "@/lib/login-flow/profile-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/update-password — UPDATE_PASSWORD_REQUIRED: set a new password
export const POST = loginRoute(async ({ req, context }) => {
  await updateRequiredPassword(await readJson(req, newPasswordSchema), context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

import { resetPassword, resetPasswordSchema } from "@/lib/login-flow/link-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/reset — set a new password with a reset token (single use)
export const POST = loginRoute(async ({ req, context }) => {
  await resetPassword(await readJson(req, resetPasswordSchema), context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

import { emailOnlySchema, requestPasswordReset } from "@/lib/login-flow/link-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/reset/request — mail a password-reset link (same answer for unknown addresses)
export const POST = loginRoute(async ({ req, context }) => {
  const { email } = await readJson(req, emailOnlySchema);
  await requestPasswordReset(email, context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

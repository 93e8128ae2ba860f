import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";
import { resendConfirmation } from "@/lib/login-flow/email-steps";

// POST /api/login/resend — EMAIL_NOT_CONFIRMED_YET: send the confirmation mail again (throttled)
export const POST = loginRoute(async ({ context }) => {
  await resendConfirmation(context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

import { json, sameOriginRoute } from "@/lib/http/route";
import { resendConfirmation } from "@/lib/login-flow/email-steps";

// POST /api/login/resend — EMAIL_NOT_CONFIRMED_YET: send the confirmation mail again (throttled)
export const POST = sameOriginRoute(async ({ context }) => {
  await resendConfirmation(context);
  return json({ ok: true });
});

import { confirmEmail } from "@/lib/login-flow/email-steps";
import { tokenSchema } from "@/lib/login-flow/link-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/confirm-email — confirm an address with the mailed token (single use)
export const POST = loginRoute(async ({ req, context }) => {
  const { token } = await readJson(req, tokenSchema);
  return json(await confirmEmail(token, context));
});

export const OPTIONS = loginPreflight;

import { verifyMfa, verifyMfaSchema } from "@/lib/login-flow/mfa-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/mfa/verify — TWO_FACTOR_REQUIRED: a TOTP code or a backup code
export const POST = loginRoute(async ({ req, context }) => {
  await verifyMfa(await readJson(req, verifyMfaSchema), context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

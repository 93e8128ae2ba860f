import { verifyMfa, verifyMfaSchema } from "@/lib/login-flow/mfa-steps";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/mfa/verify — TWO_FACTOR_REQUIRED: a TOTP code or a backup code
export const POST = sameOriginRoute(async ({ req, context }) => {
  await verifyMfa(await readJson(req, verifyMfaSchema), context);
  return json({ ok: true });
});

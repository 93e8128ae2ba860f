import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";
import { passkeyAssertionSchema, verifyPasskey } from "@/lib/login-flow/passkey-steps";

// POST /api/login/passkey/verify — LOGIN_REQUIRED or TWO_FACTOR_REQUIRED: a passkey's answer (UV required)
export const POST = sameOriginRoute(async ({ req, context }) => {
  await verifyPasskey(await readJson(req, passkeyAssertionSchema), context);
  return json({ ok: true });
});

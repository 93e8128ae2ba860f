import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";
import { passkeyOptions, passkeyOptionsSchema } from "@/lib/login-flow/passkey-steps";

// POST /api/login/passkey/options — a single-use WebAuthn challenge for the current step
// (LOGIN_REQUIRED: sign in; TWO_FACTOR_REQUIRED: second factor; TWO_FACTOR_ENROLLMENT_REQUIRED: register)
export const POST = sameOriginRoute(async ({ req, context }) => json(await passkeyOptions(await readJson(req, passkeyOptionsSchema), context)));

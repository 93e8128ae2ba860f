import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";
import { enrollPasskey, passkeyEnrollSchema } from "@/lib/login-flow/passkey-steps";

// POST /api/login/passkey/enroll — TWO_FACTOR_ENROLLMENT_REQUIRED: register a named passkey
export const POST = sameOriginRoute(async ({ req, context }) => json(await enrollPasskey(await readJson(req, passkeyEnrollSchema), context)));

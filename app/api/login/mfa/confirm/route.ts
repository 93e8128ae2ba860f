import { confirmMfaEnrollment, totpCodeSchema } from "@/lib/login-flow/mfa-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/mfa/confirm — TWO_FACTOR_ENROLLMENT_REQUIRED: confirm with a first code; returns backup codes once
export const POST = loginRoute(async ({ req, context }) => {
  return json(await confirmMfaEnrollment(await readJson(req, totpCodeSchema), context));
});

export const OPTIONS = loginPreflight;

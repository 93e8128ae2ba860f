import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";
import { beginMfaEnrollment } from "@/lib/login-flow/mfa-steps";

// POST /api/login/mfa/enroll — TWO_FACTOR_ENROLLMENT_REQUIRED: the secret to scan or type
export const POST = loginRoute(async ({ context }) => json(await beginMfaEnrollment(context)));

export const OPTIONS = loginPreflight;

import { json, sameOriginRoute } from "@/lib/http/route";
import { beginMfaEnrollment } from "@/lib/login-flow/mfa-steps";

// POST /api/login/mfa/enroll — TWO_FACTOR_ENROLLMENT_REQUIRED: the secret to scan or type
export const POST = sameOriginRoute(async ({ context }) => json(await beginMfaEnrollment(context)));

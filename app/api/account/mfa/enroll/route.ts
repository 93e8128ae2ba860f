import { json, withUser } from "@/lib/http/route";
import { beginAccountEnrollment } from "@/lib/mfa/manage";

// POST /api/account/mfa/enroll — a secret to scan, to turn two-factor on
export const POST = withUser(async ({ user, context }) => json(await beginAccountEnrollment(user, context)));

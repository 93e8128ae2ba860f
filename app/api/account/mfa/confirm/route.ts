import { readJson } from "@/lib/http/body";
import { json, withUser } from "@/lib/http/route";
import { totpCodeSchema } from "@/lib/login-flow/mfa-steps";
import { confirmAccountEnrollment } from "@/lib/mfa/manage";

// POST /api/account/mfa/confirm — confirm with a first code; returns backup codes once
export const POST = withUser(async ({ req, user, context }) => {
  const { code } = await readJson(req, totpCodeSchema);
  return json({ backupCodes: await confirmAccountEnrollment(user, code, context) });
});

import { readJson } from "@/lib/http/body";
import { json, withUser } from "@/lib/http/route";
import { totpCodeSchema } from "@/lib/login-flow/mfa-steps";
import { regenerateCodes } from "@/lib/mfa/manage";

// POST /api/account/mfa/backup-codes — new backup codes, old ones void (needs a fresh code)
export const POST = withUser(async ({ req, user, context }) => {
  const { code } = await readJson(req, totpCodeSchema);
  return json({ backupCodes: await regenerateCodes(user, code, context) });
});

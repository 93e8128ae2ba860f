import { readJson } from "@/lib/http/body";
import { json, withUser } from "@/lib/http/route";
import { totpCodeSchema } from "@/lib/login-flow/mfa-steps";
import { mfaStatus, removeMfa } from "@/lib/mfa/manage";

// GET /api/account/mfa — whether two-factor is on, and backup codes left
export const GET = withUser(async ({ user }) => json(await mfaStatus(user.id)));

// DELETE /api/account/mfa — turn two-factor off (needs a fresh code)
export const DELETE = withUser(async ({ req, user, context }) => {
  const { code } = await readJson(req, totpCodeSchema);
  await removeMfa(user, code, context);
  return json({ ok: true });
});

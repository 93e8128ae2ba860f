import { listActiveSessions, signOutEverywhere } from "@/lib/auth/sessions";
import { json, withUser } from "@/lib/http/route";

// GET /api/account/sessions — the caller's live sessions
export const GET = withUser(async ({ user }) => {
  const rows = await listActiveSessions(user.id);
  return json({
    sessions: rows.map(({ idHash, ...s }) => ({ ...s, id: idHash.slice(0, 12), current: idHash === user.sessionIdHash })),
  });
});

// DELETE /api/account/sessions — sign out everywhere (this session too, unless ?keepCurrent=1)
export const DELETE = withUser(async ({ req, user, context }) => {
  const keep = new URL(req.url).searchParams.get("keepCurrent") === "1";
  const revoked = await signOutEverywhere(user, context, keep ? { exceptIdHash: user.sessionIdHash } : {});
  return json({ revoked });
});

import { json, withUser } from "@/lib/http/route";
import { revokeUserApiKey } from "@/lib/user-api-keys/revoke";

// DELETE /api/account/api-keys/[id] — revoke one of the user's personal keys (audited)
export const DELETE = withUser<{ id: string }>(async ({ params, user, context }) => {
  await revokeUserApiKey(user, { userId: user.id }, params.id, context);
  return json({ ok: true });
});

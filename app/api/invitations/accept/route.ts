import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/body";
import { json, withUser } from "@/lib/http/route";
import { acceptInvitation } from "@/lib/invitations/accept";
import { tokenSchema } from "@/lib/login-flow/link-steps";

// POST /api/invitations/accept — a signed-in user accepts an invitation sent to their address
export const POST = withUser(async ({ req, user, context }) => {
  const { token } = await readJson(req, tokenSchema);
  const { org } = await getDb().transaction((tx) => acceptInvitation(tx, user, { token }, context));
  return json({ org });
});

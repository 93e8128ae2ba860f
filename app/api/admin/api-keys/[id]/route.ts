import { z } from "zod";
import { revokeApiKey } from "@/lib/api-keys";
import { validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";

// DELETE /api/admin/api-keys/[id] — revoke a key at once
export const DELETE = withPlatformStaff<{ id: string }>(async ({ params, user, context }) => {
  await revokeApiKey(user, validate(z.uuid(), params.id), context);
  return json({ ok: true });
});

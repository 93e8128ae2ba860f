import { z } from "zod";
import { readJson, validate } from "@/lib/http/body";
import { json, withUser } from "@/lib/http/route";
import { removePasskey, removePasskeySchema } from "@/lib/passkeys/account";

// DELETE /api/account/passkeys/[id] — remove a passkey (needs a fresh TOTP code or passkey)
export const DELETE = withUser<{ id: string }>(async ({ req, params, user, context }) => {
  const id = validate(z.uuid("No such passkey."), params.id);
  await removePasskey(user, id, await readJson(req, removePasskeySchema), context);
  return json({ ok: true });
});

import { readJson } from "@/lib/http/body";
import { json, withUser } from "@/lib/http/route";
import { listPasskeys, registerPasskey, registerPasskeySchema } from "@/lib/passkeys/account";

// GET /api/account/passkeys — the user's passkeys (name, created, last used)
export const GET = withUser(async ({ user }) => json({ passkeys: await listPasskeys(user.id) }));

// POST /api/account/passkeys — register a named passkey (answers a challenge from ./options)
export const POST = withUser(async ({ req, user, context }) => json(await registerPasskey(user, await readJson(req, registerPasskeySchema), context)));

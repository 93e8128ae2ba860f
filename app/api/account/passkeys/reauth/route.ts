import { json, withUser } from "@/lib/http/route";
import { reauthOptions } from "@/lib/passkeys/account";

// POST /api/account/passkeys/reauth — a single-use challenge to confirm a change with one of the user's passkeys
export const POST = withUser(async ({ user }) => json(await reauthOptions(user)));

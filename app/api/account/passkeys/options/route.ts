import { json, withUser } from "@/lib/http/route";
import { accountRegistrationOptions } from "@/lib/passkeys/account";

// POST /api/account/passkeys/options — registration options with a single-use challenge for this user
export const POST = withUser(async ({ user }) => json(await accountRegistrationOptions(user)));

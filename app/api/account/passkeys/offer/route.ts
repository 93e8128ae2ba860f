import { json, withUser } from "@/lib/http/route";
import { markPasskeyOffered } from "@/lib/passkeys/account";

// POST /api/account/passkeys/offer — the after-sign-in passkey offer was shown: not again
export const POST = withUser(async ({ user, context }) => json(await markPasskeyOffered(user, context)));

import { changeEmailSchema, changeUnconfirmedEmail } from "@/lib/login-flow/email-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/change-email — EMAIL_NOT_CONFIRMED_YET: correct the address
export const POST = loginRoute(async ({ req, context }) => {
  await changeUnconfirmedEmail(await readJson(req, changeEmailSchema), context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

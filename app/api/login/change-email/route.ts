import { changeEmailSchema, changeUnconfirmedEmail } from "@/lib/login-flow/email-steps";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/change-email — EMAIL_NOT_CONFIRMED_YET: correct the address
export const POST = sameOriginRoute(async ({ req, context }) => {
  await changeUnconfirmedEmail(await readJson(req, changeEmailSchema), context);
  return json({ ok: true });
});

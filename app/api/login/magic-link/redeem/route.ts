import { redeemMagicLink, tokenSchema } from "@/lib/login-flow/link-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/magic-link/redeem — use a sign-in link once; starts a pending sign-in
export const POST = loginRoute(async ({ req, context }) => {
  const { token } = await readJson(req, tokenSchema);
  await redeemMagicLink(token, context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

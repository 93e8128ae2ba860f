import { emailOnlySchema, requestMagicLink } from "@/lib/login-flow/link-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/magic-link — mail a sign-in link (same answer for unknown addresses)
export const POST = loginRoute(async ({ req, context }) => {
  const { email } = await readJson(req, emailOnlySchema);
  await requestMagicLink(email, context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

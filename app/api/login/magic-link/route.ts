import { emailOnlySchema, requestMagicLink } from "@/lib/login-flow/link-steps";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/magic-link — mail a sign-in link (same answer for unknown addresses)
export const POST = sameOriginRoute(async ({ req, context }) => {
  const { email } = await readJson(req, emailOnlySchema);
  await requestMagicLink(email, context);
  return json({ ok: true });
});

import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";
import { ssoStartSchema } from "@/lib/sso/schemas";
import { startSsoSignIn } from "@/lib/sso/sign-in";

// POST /api/login/sso — LOGIN_REQUIRED → SSO_REDIRECT: home-realm discovery for a work email
export const POST = sameOriginRoute(async ({ req, context }) => {
  const input = await readJson(req, ssoStartSchema);
  return json({ ok: true, ...(await startSsoSignIn(input, context)) });
});

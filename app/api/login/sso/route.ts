import { isFormPost, readFormBody, readJson, validate } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";
import { formPostStep } from "@/lib/login-flow/form-post";
import { ssoStartSchema } from "@/lib/sso/schemas";
import { startSsoSignIn } from "@/lib/sso/sign-in";

// POST /api/login/sso — LOGIN_REQUIRED → SSO_REDIRECT: home-realm discovery for a work email.
// JSON from the sign-in page; a plain form post (no JavaScript) goes straight on to the identity provider.
export const POST = sameOriginRoute(async ({ req, context }) => {
  if (isFormPost(req)) {
    const form = await readFormBody(req);
    return formPostStep(form.get("returnTo"), async () => {
      const input = validate(ssoStartSchema, { email: form.get("email") ?? "", returnTo: form.get("returnTo") ?? undefined });
      await startSsoSignIn(input, context);
      return "/api/login/sso/start";
    });
  }
  const input = await readJson(req, ssoStartSchema);
  return json({ ok: true, ...(await startSsoSignIn(input, context)) });
});

import { isFormPost, readFormBody, readJson, validate } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";
import { formPostStep } from "@/lib/login-flow/form-post";
import { credentialsSchema, signInWithPassword } from "@/lib/login-flow/sign-in";

// POST /api/login/password — LOGIN_REQUIRED: email and password start a pending sign-in.
// JSON from the sign-in page; a plain form post (no JavaScript) gets a 303 back to /login.
export const POST = loginRoute(async ({ req, context }) => {
  if (isFormPost(req)) {
    const form = await readFormBody(req);
    return formPostStep(form.get("returnTo"), async () => {
      const input = validate(credentialsSchema, {
        email: form.get("email") ?? "",
        password: form.get("password") ?? "",
        returnTo: form.get("returnTo") ?? undefined,
      });
      await signInWithPassword(input, context);
    });
  }
  await signInWithPassword(await readJson(req, credentialsSchema), context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

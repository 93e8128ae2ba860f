import { credentialsSchema, signUp } from "@/lib/login-flow/sign-in";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/signup — create an account (same answer for taken addresses)
export const POST = loginRoute(async ({ req, context }) => {
  await signUp(await readJson(req, credentialsSchema), context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

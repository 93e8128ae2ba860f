import { credentialsSchema, signUp } from "@/lib/login-flow/sign-in";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/signup — create an account (same answer for taken addresses)
export const POST = sameOriginRoute(async ({ req, context }) => {
  await signUp(await readJson(req, credentialsSchema), context);
  return json({ ok: true });
});

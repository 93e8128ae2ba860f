import { fillMissingProperties, propertiesSchema } from "@/lib/login-flow/profile-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/properties — USER_MISSING_REQUIRED_PROPERTIES: fill in the missing fields
export const POST = loginRoute(async ({ req, context }) => {
  await fillMissingProperties(await readJson(req, propertiesSchema), context);
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;

import { joinOrganization, joinSchema } from "@/lib/login-flow/join-steps";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";

// POST /api/login/join — USER_MUST_BE_IN_AT_LEAST_ONE_ORG: accept an invitation, join by domain or create an org
export const POST = loginRoute(async ({ req, context }) => {
  return json(await joinOrganization(await readJson(req, joinSchema), context));
});

export const OPTIONS = loginPreflight;

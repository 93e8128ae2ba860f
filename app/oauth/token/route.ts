import { route } from "@/lib/http/route";
import { oauthFailure, oauthJson, readForm } from "@/lib/oauth/http";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

// POST /oauth/token — exchange a code or refresh token
export const POST = route(async ({ req, context }) => {
  try {
    const form = await readForm(req);
    return oauthJson(await handleTokenRequest(req.headers, form, context));
  } catch (err) {
    return oauthFailure(err);
  }
});

import { route } from "@/lib/http/route";
import { preflight } from "@/lib/oauth/cors";
import { corsOAuth, oauthJson, readForm } from "@/lib/oauth/http";
import { oauthLimits } from "@/lib/oauth/limits";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

// POST /oauth/token — exchange a code or refresh token (limited per IP, and per client once authenticated)
export const POST = route(async ({ req, context }) =>
  corsOAuth(async () => {
    const form = await readForm(req).catch(async (err: unknown) => {
      await oauthLimits.tokenIp(context); // a refused body still counts against the IP
      throw err;
    });
    return oauthJson(await handleTokenRequest(req.headers, form, context));
  }),
);

// OPTIONS /oauth/token — CORS preflight for browser-based clients
export const OPTIONS = route(async () => preflight("POST"));

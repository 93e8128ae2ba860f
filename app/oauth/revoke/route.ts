import { route } from "@/lib/http/route";
import { preflight } from "@/lib/oauth/cors";
import { corsOAuth, oauthJson, readForm } from "@/lib/oauth/http";
import { oauthLimits } from "@/lib/oauth/limits";
import { handleRevocation } from "@/lib/oauth/revocation";

// POST /oauth/revoke — RFC 7009 token revocation (revokes the whole grant), limited per IP
export const POST = route(async ({ req, context }) =>
  corsOAuth(async () => {
    await oauthLimits.revoke(context);
    await handleRevocation(req.headers, await readForm(req), context);
    return oauthJson({});
  }),
);

// OPTIONS /oauth/revoke — CORS preflight for browser-based clients
export const OPTIONS = route(async () => preflight("POST"));

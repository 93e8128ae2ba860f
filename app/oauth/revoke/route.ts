import { route } from "@/lib/http/route";
import { oauthFailure, oauthJson, readForm } from "@/lib/oauth/http";
import { handleRevocation } from "@/lib/oauth/revocation";

// POST /oauth/revoke — RFC 7009 token revocation (revokes the whole grant)
export const POST = route(async ({ req, context }) => {
  try {
    await handleRevocation(req.headers, await readForm(req), context);
    return oauthJson({});
  } catch (err) {
    return oauthFailure(err);
  }
});

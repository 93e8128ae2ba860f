import { route } from "@/lib/http/route";
import { oauthFailure, oauthJson, readForm } from "@/lib/oauth/http";
import { handleIntrospection } from "@/lib/oauth/introspection";

// POST /oauth/introspect — RFC 7662 for resource servers (confidential clients)
export const POST = route(async ({ req }) => {
  try {
    return oauthJson(await handleIntrospection(req.headers, await readForm(req)));
  } catch (err) {
    return oauthFailure(err);
  }
});

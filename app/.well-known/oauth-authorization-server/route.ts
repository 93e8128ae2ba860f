import { route } from "@/lib/http/route";
import { preflight } from "@/lib/oauth/cors";
import { oauthJson } from "@/lib/oauth/http";
import { authorizationServerMetadata } from "@/lib/oauth/metadata";
import { isDynamicRegistrationEnabled } from "@/lib/oauth/settings";

// GET /.well-known/oauth-authorization-server — RFC 8414 metadata
export const GET = route(async () => {
  const body = authorizationServerMetadata({ registrationEnabled: await isDynamicRegistrationEnabled() });
  return oauthJson(body, { headers: { "Access-Control-Allow-Origin": "*" } });
});

// OPTIONS — CORS preflight for browser-based clients
export const OPTIONS = route(async () => preflight("GET"));

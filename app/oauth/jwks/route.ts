import { route } from "@/lib/http/route";
import { preflight } from "@/lib/oauth/cors";
import { getPublicJwks } from "@/lib/oauth/keys";

// GET /oauth/jwks — public keys that verify access tokens
export const GET = route(async () => {
  const jwks = await getPublicJwks();
  return Response.json(jwks, {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
});

// OPTIONS — CORS preflight for browser-based clients
export const OPTIONS = route(async () => preflight("GET"));

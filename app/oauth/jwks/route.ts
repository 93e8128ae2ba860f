import { route } from "@/lib/http/route";
import { getPublicJwks } from "@/lib/oauth/keys";

// GET /oauth/jwks — public keys that verify access tokens
export const GET = route(async () => {
  const jwks = await getPublicJwks();
  return Response.json(jwks, {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
});

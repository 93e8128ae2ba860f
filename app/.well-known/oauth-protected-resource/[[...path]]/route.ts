import { route } from "@/lib/http/route";
import { preflight } from "@/lib/oauth/cors";
import { notFound } from "@/lib/errors";
import { oauthJson } from "@/lib/oauth/http";
import { protectedResourceMetadata } from "@/lib/oauth/metadata";

// GET /.well-known/oauth-protected-resource[/api/mcp] — RFC 9728 metadata of the sample MCP server
export const GET = route<{ path?: string[] }>(async ({ params }) => {
  const suffix = (params.path ?? []).join("/");
  if (suffix !== "" && suffix !== "api/mcp") throw notFound("No such protected resource.");
  return oauthJson(protectedResourceMetadata(), { headers: { "Access-Control-Allow-Origin": "*" } });
});

// OPTIONS — CORS preflight for browser-based clients
export const OPTIONS = route(async () => preflight("GET"));

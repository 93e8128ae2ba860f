import { z } from "zod";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { preflight } from "@/lib/oauth/cors";
import { registerDynamicClient } from "@/lib/oauth/dcr";
import { corsOAuth, oauthJson } from "@/lib/oauth/http";

// POST /oauth/register — RFC 7591 dynamic client registration (off unless a platform admin turned it on)
export const POST = route(async ({ req, context }) =>
  corsOAuth(async () => {
    const body = await readJson(req, z.unknown(), 16 * 1024);
    return oauthJson(await registerDynamicClient(body, context), { status: 201 });
  }),
);

// OPTIONS /oauth/register — CORS preflight for browser-based clients
export const OPTIONS = route(async () => preflight("POST"));

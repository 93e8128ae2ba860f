import { route } from "@/lib/http/route";
import { readJson } from "@/lib/http/body";
import { z } from "zod";
import { registerDynamicClient } from "@/lib/oauth/dcr";
import { oauthFailure, oauthJson } from "@/lib/oauth/http";
import { RateLimitedError } from "@/lib/errors";

// POST /oauth/register — RFC 7591 dynamic client registration (off unless a platform admin turned it on)
export const POST = route(async ({ req, context }) => {
  try {
    const body = await readJson(req, z.unknown(), 16 * 1024);
    return oauthJson(await registerDynamicClient(body, context), { status: 201 });
  } catch (err) {
    if (err instanceof RateLimitedError) {
      return oauthJson(
        { error: "rate_limited", error_description: err.message },
        { status: 429, headers: { "Retry-After": String(err.retryAfterSeconds) } },
      );
    }
    return oauthFailure(err);
  }
});

import { getEnv } from "@/lib/env";
import { withApiKey } from "@/lib/http/api-key";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { validateApiKeySchema } from "@/lib/user-api-keys/schema";
import { validateUserApiKey } from "@/lib/user-api-keys/validate";

// POST /api/v1/api-keys/validate — check a personal or org API key and consume one unit of its limit (platform API key)
export const POST = withApiKey(
  async ({ req, context }) => {
    const input = await readJson(req, validateApiKeySchema);
    const result = await validateUserApiKey(input.apiKey, { permission: input.permission, context });
    if (!result.valid) {
      return json({ valid: false, reason: result.reason, error: { code: "api_key_refused", message: result.message } }, { status: 401 });
    }
    const { rateLimit } = result;
    const headers = {
      "RateLimit-Limit": String(rateLimit.limit),
      "RateLimit-Remaining": String(rateLimit.remaining),
      "RateLimit-Reset": String(rateLimit.retryAfterSeconds),
    };
    if (!rateLimit.allowed) {
      return json(
        { ...result, error: { code: "rate_limited", message: `This API key is over its limit of ${rateLimit.limit} requests a minute. Try again in ${rateLimit.retryAfterSeconds} seconds.` } },
        { status: 429, headers: { ...headers, "Retry-After": String(rateLimit.retryAfterSeconds) } },
      );
    }
    return json(result, { headers });
  },
  // The product's backend validates on each of its own requests: a budget of its own, far above the default.
  { limit: () => ({ max: getEnv().API_KEY_VALIDATIONS_PER_MINUTE, windowSeconds: 60 }), bucket: "api_key_validate" },
);

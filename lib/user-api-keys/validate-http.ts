import "server-only";
import { getEnv } from "@/lib/env";
import { type Answer, jsonAnswer } from "@/lib/http/answer";
import { MAX_JSON_BYTES, readJsonValue, validate } from "@/lib/http/body";
import { authenticatePlatformRequest, presentedPlatformKey } from "@/lib/http/platform-key";
import type { RequestContext } from "@/lib/http/request-context";
import { fastValidate } from "./fast-validate";
import { validateApiKeySchema } from "./schema";
import { isWellFormedUserKey, type Validation, validateUserApiKey } from "./validate";

/** The body limit of POST /api/v1/api-keys/validate (readJson's default). */
export const MAX_VALIDATE_BYTES = MAX_JSON_BYTES;

/** The platform key's budget for validations: a product's backend validates on each of its own requests. */
const PLATFORM_BUCKET = "api_key_validate";
const platformLimit = () => ({ max: getEnv().API_KEY_VALIDATIONS_PER_MINUTE, windowSeconds: 60 });

/**
 * POST /api/v1/api-keys/validate as a Web request → answer (lib/http/answer.ts): the Next.js route
 * (app/api/v1/api-keys/validate/route.ts) answers with this.
 */
export function answerValidateRequest(req: Request, context: RequestContext): Promise<Answer> {
  return answerValidate(req.headers, () => readJsonValue(req, MAX_VALIDATE_BYTES), context);
}

/**
 * The same, for a caller that reads the body itself (the production server's direct lane;
 * `readBody` refuses as readJsonValue does). Throws the refusals of the platform key (401, 429) and of
 * the body (415, 413, 400), in that order, as withApiKey + readJson do.
 */
export async function answerValidate(headers: Headers, readBody: () => Promise<unknown>, context: RequestContext): Promise<Answer> {
  const platformPresented = presentedPlatformKey(headers);
  // One statement when both keys are well-formed (fast-validate.ts); the body is read first for it,
  // and a body refusal waits for the platform key's verdict, which comes first.
  let input: { apiKey: string; permission?: string } | undefined;
  let bodyError: unknown;
  if (platformPresented?.startsWith("ghk_") && platformPresented.length <= 200) {
    try {
      input = validate(validateApiKeySchema, await readBody());
    } catch (err) {
      bodyError = err;
    }
    if (input && isWellFormedUserKey(input.apiKey)) {
      const fast = await fastValidate(platformPresented, input.apiKey, {
        permission: input.permission,
        context,
        platformLimit: platformLimit(),
        platformBucket: PLATFORM_BUCKET,
      });
      if (fast.path === "fast") return validationResponse(fast.validation);
      if (fast.path === "key") return validationResponse(await validateUserApiKey(input.apiKey, { permission: input.permission, context }));
    }
  }
  // The general path: the platform key (401, 429), then the body, then the key.
  await authenticatePlatformRequest(headers, { limit: platformLimit(), bucket: PLATFORM_BUCKET });
  if (bodyError) throw bodyError;
  input ??= validate(validateApiKeySchema, await readBody());
  return validationResponse(await validateUserApiKey(input.apiKey, { permission: input.permission, context }));
}

/** 401 for a refused key; 200, or 429 with Retry-After over the key's limit, with RateLimit-* headers. */
function validationResponse(result: Validation): Answer {
  if (!result.valid) {
    return json({ valid: false, reason: result.reason, error: { code: "api_key_refused", message: result.message } }, 401);
  }
  const { rateLimit } = result;
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(rateLimit.limit),
    "RateLimit-Remaining": String(rateLimit.remaining),
    "RateLimit-Reset": String(rateLimit.retryAfterSeconds),
  };
  if (!rateLimit.allowed) {
    return json(
      { ...result, error: { code: "rate_limited", message: `This API key is over its limit of ${rateLimit.limit} requests a minute. Try again in ${rateLimit.retryAfterSeconds} seconds.` } },
      429,
      { ...headers, "Retry-After": String(rateLimit.retryAfterSeconds) },
    );
  }
  return json(result, 200, headers);
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Answer {
  return jsonAnswer(body, { status, headers: { ...headers, "Cache-Control": "no-store" } });
}

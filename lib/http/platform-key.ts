import "server-only";
import { authenticateApiKeyAndHit } from "@/lib/api-keys";
import { AppError, RateLimitedError } from "@/lib/errors";
import type { Limit } from "@/lib/rate-limit";

/** Requests per minute for one API key. */
export const API_KEY_LIMIT: Limit = { max: 600, windowSeconds: 60 };

/** The platform API key a request presents (`Authorization: Bearer <key>`), or null. */
export function presentedPlatformKey(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
  return match ? match[1]! : null;
}

/** The 401 of a request without a valid platform API key. */
export function invalidPlatformKey(): AppError {
  return new AppError(401, "invalid_api_key", "Send a valid platform API key as `Authorization: Bearer <key>`.");
}

/**
 * The platform API key of a request, checked against the stored hash and its limit counted in one
 * statement: 401 without a live key, 429 (Retry-After) over the limit. No Next.js imports, so the
 * production server's direct lane can use it too.
 */
export async function authenticatePlatformRequest(headers: Headers, opts: { limit?: Limit; bucket?: string } = {}): Promise<{ id: string; name: string }> {
  const presented = presentedPlatformKey(headers);
  const found = presented ? await authenticateApiKeyAndHit(presented, { prefix: opts.bucket ?? "api_key", limit: opts.limit ?? API_KEY_LIMIT }) : null;
  if (!found) throw invalidPlatformKey();
  if (found.limit && !found.limit.allowed) throw new RateLimitedError(found.limit.retryAfterSeconds);
  return found.key;
}

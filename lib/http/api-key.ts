import "server-only";
import { authenticateApiKeyAndHit } from "@/lib/api-keys";
import { AppError, RateLimitedError } from "@/lib/errors";
import type { Limit } from "@/lib/rate-limit";
import { route } from "./route";
import type { RequestContext } from "./request-context";

type Params = Record<string, string | string[] | undefined>;

/** Requests per minute for one API key. */
export const API_KEY_LIMIT = { max: 600, windowSeconds: 60 };

/**
 * A route handler for the product's own backends: `Authorization: Bearer <platform API key>`,
 * checked against the stored hash on every call and rate-limited per key.
 */
export function withApiKey<P extends Params = Params>(
  fn: (args: { req: Request; params: P; context: RequestContext; apiKey: { id: string; name: string } }) => Promise<Response>,
  opts: { limit?: Limit | (() => Limit); bucket?: string } = {},
) {
  return route<P>(async (args) => {
    const header = args.req.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const limit = typeof opts.limit === "function" ? opts.limit() : (opts.limit ?? API_KEY_LIMIT);
    // The key checked and its limit counted in one statement.
    const found = match ? await authenticateApiKeyAndHit(match[1]!, { prefix: opts.bucket ?? "api_key", limit }) : null;
    if (!found) {
      throw new AppError(401, "invalid_api_key", "Send a valid platform API key as `Authorization: Bearer <key>`.");
    }
    if (found.limit && !found.limit.allowed) throw new RateLimitedError(found.limit.retryAfterSeconds);
    return fn({ ...args, apiKey: found.key });
  });
}

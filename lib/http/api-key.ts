import "server-only";
import type { Limit } from "@/lib/rate-limit";
import { API_KEY_LIMIT, authenticatePlatformRequest } from "./platform-key";
import type { Answer } from "./answer";
import { route } from "./route";
import type { RequestContext } from "./request-context";

type Params = Record<string, string | string[] | undefined>;

/**
 * A route handler for the product's own backends: `Authorization: Bearer <platform API key>`,
 * checked against the stored hash on every call and rate-limited per key.
 */
export function withApiKey<P extends Params = Params>(
  fn: (args: { req: Request; params: P; context: RequestContext; apiKey: { id: string; name: string } }) => Promise<Response | Answer>,
  opts: { limit?: Limit | (() => Limit); bucket?: string } = {},
) {
  return route<P>(async (args) => {
    const limit = typeof opts.limit === "function" ? opts.limit() : (opts.limit ?? API_KEY_LIMIT);
    // The key checked and its limit counted in one statement.
    const apiKey = await authenticatePlatformRequest(args.req.headers, { limit, bucket: opts.bucket });
    return fn({ ...args, apiKey });
  });
}

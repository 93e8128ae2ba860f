import "server-only";
import { authenticateApiKey } from "@/lib/api-keys";
import { AppError } from "@/lib/errors";
import { enforce, type Limit } from "@/lib/rate-limit";
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
    const apiKey = match ? await authenticateApiKey(match[1]!) : null;
    if (!apiKey) {
      throw new AppError(401, "invalid_api_key", "Send a valid platform API key as `Authorization: Bearer <key>`.");
    }
    const limit = typeof opts.limit === "function" ? opts.limit() : (opts.limit ?? API_KEY_LIMIT);
    await enforce(`${opts.bucket ?? "api_key"}:${apiKey.id}`, limit);
    return fn({ ...args, apiKey });
  });
}

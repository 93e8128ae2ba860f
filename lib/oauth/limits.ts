import "server-only";
import { getEnv } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import { RateLimitedError } from "@/lib/errors";
import { enforce } from "@/lib/rate-limit";
import { leasedHit } from "@/lib/rate-limit/lease";

const perMinute = (max: number) => ({ max, windowSeconds: 60 });
const ipOf = (context: RequestContext) => context.ip ?? "unknown";

/** Throttles of the OAuth side (one atomic upsert each; 429 + Retry-After when over). */
export const oauthLimits = {
  authorize: (context: RequestContext) =>
    enforce(`oauth:authorize:ip:${ipOf(context)}`, perMinute(getEnv().OAUTH_AUTHORIZE_PER_IP_PER_MINUTE)),
  revoke: (context: RequestContext) =>
    enforce(`oauth:revoke:ip:${ipOf(context)}`, perMinute(getEnv().OAUTH_REVOKE_PER_IP_PER_MINUTE)),
  /**
   * A token request refused before its admission (token-fast-path.ts) still counts against its IP:
   * the same leased bucket as the admission's.
   */
  tokenIp: async (context: RequestContext) => {
    const result = await leasedHit(`oauth:token:ip:${ipOf(context)}`, perMinute(getEnv().OAUTH_TOKEN_PER_IP_PER_MINUTE));
    if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
    return result;
  },
  mcpGrant: (grantId: string) => enforce(mcpGrantBucket(grantId).key, mcpGrantBucket(grantId).limit),
};

/** The MCP endpoint's per-grant bucket (also counted in the grant check's statement: grant-status.ts). */
export function mcpGrantBucket(grantId: string) {
  return { key: `mcp:grant:${grantId}`, limit: perMinute(getEnv().MCP_PER_GRANT_PER_MINUTE) };
}

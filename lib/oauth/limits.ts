import "server-only";
import { getEnv } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import { enforce } from "@/lib/rate-limit";

const perMinute = (max: number) => ({ max, windowSeconds: 60 });
const ipOf = (context: RequestContext) => context.ip ?? "unknown";

/** Throttles of the OAuth side (one atomic upsert each; 429 + Retry-After when over). */
export const oauthLimits = {
  authorize: (context: RequestContext) =>
    enforce(`oauth:authorize:ip:${ipOf(context)}`, perMinute(getEnv().OAUTH_AUTHORIZE_PER_IP_PER_MINUTE)),
  revoke: (context: RequestContext) =>
    enforce(`oauth:revoke:ip:${ipOf(context)}`, perMinute(getEnv().OAUTH_REVOKE_PER_IP_PER_MINUTE)),
  tokenIp: (context: RequestContext) =>
    enforce(`oauth:token:ip:${ipOf(context)}`, perMinute(getEnv().OAUTH_TOKEN_PER_IP_PER_MINUTE)),
  /** After the client authenticated, so nobody spends another client's budget with bad credentials. */
  tokenClient: (clientId: string) =>
    enforce(`oauth:token:client:${clientId}`, perMinute(getEnv().OAUTH_TOKEN_PER_CLIENT_PER_MINUTE)),
  mcpGrant: (grantId: string) => enforce(mcpGrantBucket(grantId).key, mcpGrantBucket(grantId).limit),
};

/** The MCP endpoint's per-grant bucket (also counted in the grant check's statement: grant-status.ts). */
export function mcpGrantBucket(grantId: string) {
  return { key: `mcp:grant:${grantId}`, limit: perMinute(getEnv().MCP_PER_GRANT_PER_MINUTE) };
}

import "server-only";
import { getEnv } from "@/lib/env";

/** The authorization server's issuer identifier (RFC 8414): the app's public origin. */
export function issuer(): string {
  return getEnv().APP_URL;
}

/** The resource identifier of the sample MCP server (RFC 8707 / RFC 9728). */
export function mcpResource(): string {
  return `${issuer()}/api/mcp`;
}

/** Resources tokens may be issued for. */
export function knownResources(): string[] {
  return [mcpResource()];
}

/** RFC 8707: an absolute URI without a fragment, one of ours. Trailing slashes are not ignored. */
export function isKnownResource(resource: string): boolean {
  return knownResources().includes(resource);
}

export function protectedResourceMetadataUrl(resource = mcpResource()): string {
  const path = new URL(resource).pathname.replace(/\/$/, "");
  return `${issuer()}/.well-known/oauth-protected-resource${path}`;
}

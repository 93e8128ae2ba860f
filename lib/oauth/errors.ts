import { type Answer, jsonAnswer } from "@/lib/http/answer";

/** An RFC 6749 §5.2 error: `{ error, error_description }` with its HTTP status. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export const invalidRequest = (d: string) => new OAuthError(400, "invalid_request", d);
export const invalidGrant = (d: string) => new OAuthError(400, "invalid_grant", d);
export const invalidScope = (d: string) => new OAuthError(400, "invalid_scope", d);
export const unauthorizedClient = (d: string) => new OAuthError(400, "unauthorized_client", d);
export const unsupportedGrantType = (d: string) => new OAuthError(400, "unsupported_grant_type", d);
export const invalidTarget = (d: string) => new OAuthError(400, "invalid_target", d);
export const invalidClient = (d: string, basic = false) =>
  new OAuthError(401, "invalid_client", d, basic ? { "WWW-Authenticate": 'Basic realm="oauth"' } : {});

/** The JSON answer for an OAuth error (no-store, application/json). */
export function oauthErrorAnswer(err: OAuthError): Answer {
  return jsonAnswer(
    { error: err.error, error_description: err.description },
    { status: err.status, headers: { "Cache-Control": "no-store", Pragma: "no-cache", ...err.headers } },
  );
}

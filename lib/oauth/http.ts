import "server-only";
import { RateLimitedError, toErrorBody } from "@/lib/errors";
import { withCors } from "./cors";
import { invalidRequest, OAuthError, oauthErrorResponse } from "./errors";

const MAX_FORM_BYTES = 16 * 1024;

/** Read an `application/x-www-form-urlencoded` body (RFC 6749 §3.2), at most 16 KiB. */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw invalidRequest("Send the body as application/x-www-form-urlencoded.");
  }
  const text = await req.text();
  if (text.length > MAX_FORM_BYTES) throw invalidRequest("The body is too large.");
  return new URLSearchParams(text);
}

/** JSON with the headers every OAuth endpoint answer carries. */
export function oauthJson(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Cache-Control", "no-store");
  headers.set("Pragma", "no-cache");
  return Response.json(body, { ...init, headers });
}

/** Map an OAuthError to its RFC 6749 body, a limit to 429 + Retry-After; anything else to the app's error body. */
export function oauthFailure(err: unknown): Response {
  if (err instanceof OAuthError) return oauthErrorResponse(err);
  if (err instanceof RateLimitedError) {
    return oauthJson(
      { error: "rate_limited", error_description: err.message },
      { status: 429, headers: { "Retry-After": String(err.retryAfterSeconds) } },
    );
  }
  const { status, body, headers } = toErrorBody(err);
  return oauthJson(body, { status, headers });
}

/** An OAuth endpoint browsers may call (CORS, no cookies): the answer or the error, with CORS headers. */
export async function corsOAuth(work: () => Promise<Response>): Promise<Response> {
  try {
    return withCors(await work());
  } catch (err) {
    return withCors(oauthFailure(err));
  }
}

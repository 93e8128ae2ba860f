import "server-only";
import { RateLimitedError, toErrorBody } from "@/lib/errors";
import { type Answer, jsonAnswer } from "@/lib/http/answer";
import { readFormBody } from "@/lib/http/body";
import { withCors } from "./cors";
import { OAuthError, oauthErrorAnswer } from "./errors";

const MAX_FORM_BYTES = 16 * 1024;

/** Read an `application/x-www-form-urlencoded` body (RFC 6749 §3.2), at most 16 KiB (415, 413, 400 as readFormBody). */
export function readForm(req: Request, maxBytes = MAX_FORM_BYTES): Promise<URLSearchParams> {
  return readFormBody(req, maxBytes);
}

/** JSON with the headers every OAuth endpoint answer carries. */
export function oauthJson(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Answer {
  const answer = jsonAnswer(body, init);
  answer.headers.set("Cache-Control", "no-store");
  answer.headers.set("Pragma", "no-cache");
  return answer;
}

/** Map an OAuthError to its RFC 6749 body, a limit to 429 + Retry-After; anything else to the app's error body. */
export function oauthFailure(err: unknown): Answer {
  if (err instanceof OAuthError) return oauthErrorAnswer(err);
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
export async function corsOAuth(work: () => Promise<Answer>): Promise<Answer> {
  try {
    return withCors(await work());
  } catch (err) {
    return withCors(oauthFailure(err));
  }
}

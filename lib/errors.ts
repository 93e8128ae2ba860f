/** A domain error with a stable code, mapped by route handlers to an HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, code = "bad_request") => new AppError(400, code, message);
export const invalidInput = (message: string, fields?: Record<string, string>) =>
  new AppError(400, "invalid_input", message, fields);
export const unauthenticated = (message = "Sign in to continue.") => new AppError(401, "unauthenticated", message);
export const forbidden = (message = "You do not have permission to do that.") =>
  new AppError(403, "forbidden", message);
export const notFound = (message = "Not found.") => new AppError(404, "not_found", message);
export const conflict = (message: string, code = "conflict") => new AppError(409, code, message);

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "rate_limited", `Too many attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/** Postgres error codes that mean the input was bad, not the server. */
const PG_CLIENT_ERRORS: Record<string, [number, string, string]> = {
  "23505": [409, "conflict", "That already exists."],
  "23503": [409, "conflict", "That refers to something that does not exist or is still in use."],
  "23514": [400, "invalid_input", "The value is not allowed."],
  "22P02": [400, "invalid_input", "A value has the wrong format."],
  "22001": [400, "invalid_input", "A value is too long."],
  "22021": [400, "invalid_input", "A value contains a character that is not allowed."],
  "22P05": [400, "invalid_input", "A value contains a character that is not allowed."],
  "40001": [409, "retry", "The change collided with another one. Try again."],
};

/**
 * Whether an error means the database cannot be reached right now (down, restarting, refusing
 * connections, pool exhausted), as opposed to a bad query: such requests get a 503, not a 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as never, i++) {
    const code = typeof e.code === "string" ? e.code : "";
    // SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now), 53300 (too many connections).
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === "53300") return true;
    if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"].includes(code)) return true;
    const message = typeof e.message === "string" ? e.message : "";
    if (/Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended unexpectedly|database system is (starting up|shutting down)|PGlite is closed/i.test(message)) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function pgCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as never, i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** Turn any thrown value into a status and the public error body. Unknown errors are logged, not shown. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof AppError) {
    const headers =
      err instanceof RateLimitedError ? { "Retry-After": String(err.retryAfterSeconds) } : undefined;
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
      headers,
    };
  }
  if (isDatabaseUnavailable(err)) {
    console.error("[error] database unavailable:", (err as Error)?.message ?? err);
    return {
      status: 503,
      body: { error: { code: "unavailable", message: "Gatehouse is temporarily unavailable. Try again in a few seconds." } },
      headers: { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    };
  }
  const code = pgCode(err);
  const mapped = code ? PG_CLIENT_ERRORS[code] : undefined;
  if (mapped) return { status: mapped[0], body: { error: { code: mapped[1], message: mapped[2] } } };
  console.error("[error]", err);
  return { status: 500, body: { error: { code: "internal", message: "Something went wrong on our side." } } };
}

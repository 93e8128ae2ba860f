// The headers the proxy (proxy.ts) puts on every page: pure functions of the request, tested alone.

/**
 * Static headers of every response (next.config.ts; the production server's direct lane adds them
 * itself). Pages also get the full Content-Security-Policy with a nonce, HSTS and a stricter
 * Referrer-Policy where needed from proxy.ts (per request); this baseline CSP covers what the proxy
 * does not see (route handlers' JSON, files).
 */
export const STATIC_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
];

/** A fresh CSP nonce: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The page policy. Scripts run only with this response's nonce (Next.js puts it on its own scripts)
 * and what they load ('strict-dynamic'); no inline script, no eval outside development. Styles may be
 * inline (React style attributes, injected toast styles): CSS cannot run code. No form-action: the
 * consent form's answer is a redirect to the client's own redirect URI, which form-action would block.
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export const HSTS = "max-age=63072000; includeSubDomains";

const TOKEN_PATHS = /^\/(confirm-email|magic|reset-password|invite)\/[^/]/;

/** Pages whose URL carries a secret (a mailed link's token): their Referer must never leave. */
export function carriesTokenInUrl(url: URL): boolean {
  return TOKEN_PATHS.test(url.pathname) || (url.pathname === "/setup" && url.searchParams.has("token"));
}

import { type NextRequest, NextResponse } from "next/server";
import { devMailboxEnabled } from "@/lib/dev-mailbox";
import { carriesTokenInUrl, contentSecurityPolicy, HSTS, newNonce } from "@/lib/http/security-headers";

/**
 * The security headers of every page: a Content-Security-Policy with a fresh nonce (Next.js reads it
 * from the request's CSP header and puts it on its own scripts), HSTS when APP_URL is https, and
 * `Referrer-Policy: no-referrer` where the URL holds a token. Never authorization: pages, route
 * handlers and actions decide who may do what themselves.
 */
export function proxy(req: NextRequest) {
  // The development mailbox shows one-time links: outside development it does not exist (a real
  // 404, which the page itself cannot give once its shell has streamed).
  if (req.nextUrl.pathname.startsWith("/dev/") && !devMailboxEnabled()) {
    return new NextResponse("Not found", { status: 404, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
  const https = (process.env.APP_URL ?? "").startsWith("https://");
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  if (https) res.headers.set("Strict-Transport-Security", HSTS);
  if (carriesTokenInUrl(req.nextUrl)) res.headers.set("Referrer-Policy", "no-referrer");
  return res;
}

export const config = {
  matcher: [
    {
      // Pages only. Route handlers (api/, the OAuth endpoints, discovery) answer JSON and are left out:
      // for a request with a body that the proxy matches, Next.js reads and buffers the whole body
      // first — the route's own limit must come first. Server actions (next-action) likewise.
      source:
        "/((?!api(?:/|$)|_next/static/|_next/image|favicon\\.ico|\\.well-known/|oauth/(?:authorize|token|revoke|introspect|register|decision|jwks)(?:/|$)).*)",
      missing: [{ type: "header", key: "next-action" }],
    },
  ],
};

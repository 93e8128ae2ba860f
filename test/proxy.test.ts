import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { cookieName, hostCookieOptions } from "@/lib/http/cookies";
import { carriesTokenInUrl, contentSecurityPolicy } from "@/lib/http/security-headers";
import { config, proxy } from "@/proxy";

const original = process.env.APP_URL;
afterEach(() => {
  process.env.APP_URL = original;
  resetEnvForTests();
});

function page(path: string, appUrl = "http://localhost:3000") {
  process.env.APP_URL = appUrl;
  resetEnvForTests();
  return proxy(new NextRequest(`${appUrl}${path}`, { headers: { "content-security-policy": "script-src 'nonce-attacker'", "x-nonce": "attacker" } }));
}

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";

describe("proxy: the security headers of a page", () => {
  it("sends a CSP with a fresh nonce, and hands Next.js the same policy (not the client's)", () => {
    const a = page("/login");
    const b = page("/login");
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]{24})'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    expect(directive(csp, "script-src")).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(directive(csp, "script-src")).not.toContain("unsafe-inline");
    for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp.split("; ")).toContain(d);
    // NextResponse.next({ request: { headers } }) travels as x-middleware-request-* overrides.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("sends HSTS and upgrade-insecure-requests only when APP_URL is https", () => {
    expect(page("/login").headers.get("strict-transport-security")).toBeNull();
    const https = page("/login", "https://id.example.com");
    expect(https.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    expect(https.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it.each([
    ["/confirm-email/abc", true],
    ["/magic/abc", true],
    ["/reset-password/abc", true],
    ["/invite/abc", true],
    ["/setup?token=abc", true],
    ["/setup", false],
    ["/login", false],
    ["/invite", false],
  ])("Referrer-Policy: no-referrer on %s: %s", (path, token) => {
    expect(carriesTokenInUrl(new URL(`http://x${path}`))).toBe(token);
    expect(page(path).headers.get("referrer-policy")).toBe(token ? "no-referrer" : null);
  });

  it("allows eval only in development", () => {
    expect(contentSecurityPolicy("n", { dev: true, https: false })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", { dev: false, https: false })).not.toContain("unsafe-eval");
  });

  it("leaves route handlers and server actions out (Next.js would buffer their bodies for the proxy)", () => {
    const [m] = config.matcher;
    const re = new RegExp(`^${m!.source.replace("/((?!", "/(?!").replace(/\)\.\*\)$/, ").*")}$`);
    for (const p of ["/login", "/", "/orgs/xcorp", "/oauth/consent", "/oauth/error", "/dev/mailbox", "/confirm-email/x"]) expect(re.test(p), p).toBe(true);
    for (const p of ["/api/mcp", "/api", "/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/register", "/oauth/decision", "/oauth/authorize", "/oauth/jwks", "/.well-known/oauth-authorization-server", "/_next/static/x.js"])
      expect(re.test(p), p).toBe(false);
    expect(m!.missing).toContainEqual({ type: "header", key: "next-action" });
  });
});

describe("cookie names", () => {
  it("are __Host- prefixed, Secure and Path=/ over https, plain over http", () => {
    process.env.APP_URL = "https://id.example.com";
    resetEnvForTests();
    expect(cookieName("gh_login_flow")).toBe("__Host-gh_login_flow");
    expect(hostCookieOptions()).toMatchObject({ secure: true, path: "/", httpOnly: true });
    process.env.APP_URL = "http://localhost:3000";
    resetEnvForTests();
    expect(cookieName("gh_login_flow")).toBe("gh_login_flow");
    expect(hostCookieOptions().secure).toBe(false);
  });

  it("answers 404 for the development mailbox page in production or when DEV_MAILBOX=false", () => {
    const saved = { APP_ENV: process.env.APP_ENV, DEV_MAILBOX: process.env.DEV_MAILBOX };
    try {
      process.env.APP_ENV = "test";
      expect(page("/dev/mailbox").status).toBe(200);
      process.env.APP_ENV = "production";
      expect(page("/dev/mailbox").status).toBe(404);
      expect(page("/dev/mailbox?to=a@b.example").status).toBe(404);
      process.env.APP_ENV = "test";
      process.env.DEV_MAILBOX = "false";
      expect(page("/dev/mailbox").status).toBe(404);
    } finally {
      process.env.APP_ENV = saved.APP_ENV;
      if (saved.DEV_MAILBOX === undefined) delete process.env.DEV_MAILBOX;
      else process.env.DEV_MAILBOX = saved.DEV_MAILBOX;
    }
  });
});

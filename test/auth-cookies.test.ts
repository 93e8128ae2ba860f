import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";

const original = process.env.APP_URL;
afterEach(() => {
  process.env.APP_URL = original;
  resetEnvForTests();
});

async function authCookies(appUrl: string, forwardedProto?: string) {
  process.env.APP_URL = appUrl;
  resetEnvForTests();
  const { GET } = await import("@/app/api/auth/[...nextauth]/route");
  const headers: Record<string, string> = forwardedProto ? { "x-forwarded-proto": forwardedProto } : {};
  // The sign-in entry sets the CSRF and callback-URL cookies (Auth.js would name the latter __Secure-).
  const res = await GET(new NextRequest(`${appUrl}/api/auth/signin?callbackUrl=%2Forgs`, { headers }));
  return res.headers.getSetCookie();
}

describe("Auth.js cookies", () => {
  it("are __Host- prefixed (Secure, Path=/, no Domain) when APP_URL is https", async () => {
    const cookies = await authCookies("https://id.example.com");
    expect(cookies.map((c) => c.split("=")[0]).sort()).toEqual(["__Host-authjs.callback-url", "__Host-authjs.csrf-token"]);
    for (const c of cookies) {
      expect(c).toMatch(/; Secure/i);
      expect(c).toMatch(/; Path=\/;/i);
      expect(c).not.toMatch(/Domain=/i);
    }
  });

  it("are plain over http, whatever X-Forwarded-Proto the client sends", async () => {
    const cookies = await authCookies("http://localhost:3000", "https");
    expect(cookies.map((c) => c.split("=")[0]).sort()).toEqual(["authjs.callback-url", "authjs.csrf-token"]);
    for (const c of cookies) expect(c).not.toMatch(/; Secure/i);
  });
});

import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { browserHeadersMock, inBrowser, newJar } from "@/test/browser-jar";
import { getEnv, resetEnvForTests } from "@/lib/env";
import { parseOriginList } from "./origins";

vi.mock("next/headers", () => browserHeadersMock());
// Outside a request there is nothing to wait for.
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

const APP = "http://localhost:3000";
const ALLOWED = "https://app.example.com";

afterEach(() => {
  delete process.env.LOGIN_ALLOWED_ORIGINS;
  resetEnvForTests();
});

function allow(value?: string) {
  if (value === undefined) delete process.env.LOGIN_ALLOWED_ORIGINS;
  else process.env.LOGIN_ALLOWED_ORIGINS = value;
  resetEnvForTests();
}

async function restart(origin?: string) {
  const { POST } = await import("@/app/api/login/restart/route");
  const headers: Record<string, string> = { "content-type": "application/json", host: "localhost:3000" };
  if (origin) headers.origin = origin;
  const jar = newJar();
  jar.set("gh_login_flow", "x");
  return inBrowser(jar, () => POST(new NextRequest(`${APP}/api/login/restart`, { method: "POST", headers, body: "{}" }), { params: Promise.resolve({}) }));
}

async function preflight(origin: string) {
  const { OPTIONS } = await import("@/app/api/login/restart/route");
  return OPTIONS(
    new NextRequest(`${APP}/api/login/restart`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    }),
  );
}

describe("LOGIN_ALLOWED_ORIGINS", () => {
  it("parses a comma list of origins and refuses anything else", () => {
    expect(parseOriginList("")).toEqual([]);
    expect(parseOriginList(" https://app.example.com , http://localhost:3001/,https://app.example.com")).toEqual(["https://app.example.com", "http://localhost:3001"]);
    expect(() => parseOriginList("*")).toThrow(/not an origin/);
    expect(() => parseOriginList("https://app.example.com/login")).toThrow(/scheme, host and port only/);
    expect(() => parseOriginList("ftp://files.example.com")).toThrow(/not an origin/);
    allow("*");
    expect(() => getEnv()).toThrow(/LOGIN_ALLOWED_ORIGINS/);
  });
});

describe("sign-in API across origins", () => {
  it("by default answers only our own pages: another origin gets 403 and no CORS headers", async () => {
    allow(undefined);
    const res = await restart(ALLOWED);
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await preflight(ALLOWED);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect((await restart(APP)).status).toBe(200);
    expect((await restart()).status).toBe(200);
  });

  it("lets a listed origin call with credentials, and only that origin", async () => {
    allow(`${ALLOWED}, http://localhost:3951`);
    const res = await restart(ALLOWED);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toMatch(/Origin/);

    const pre = await preflight(ALLOWED);
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");

    for (const other of ["https://evil.example.com", "https://app.example.com.evil.example", "http://app.example.com", "null"]) {
      const refused = await restart(other);
      expect(refused.status, other).toBe(403);
      expect(refused.headers.get("access-control-allow-origin"), other).toBeNull();
      expect((await preflight(other)).headers.get("access-control-allow-origin"), other).toBeNull();
    }
  });
});

// readSessionCookie (what getCurrentUser reads, inside Next and on the direct lane) names the same
// user and session as Auth.js's own `auth()` for every kind of session cookie a browser may send.
import { encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { getEnv } from "@/lib/env";
import { withLaneCookies } from "@/lib/http/cookie-jar";
import { readSessionCookie, sessionCookieName } from "./session-cookie";

// `auth()` reads the request's headers: the Cookie header of the case being run.
const request = vi.hoisted(() => ({ cookie: "" }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ cookie: request.cookie }), cookies: async () => ({}) }));
const { auth } = await import("./index");
// Auth.js logs every cookie it cannot read (lib/auth/index.ts): expected here, by the table.
vi.spyOn(console, "error").mockImplementation(() => {});

const USER = "6f1c1f3e-8d2a-4c55-9a70-2b8f3c1d9e01";
const seal = (token: Record<string, unknown>, opts: { secret?: string; salt?: string; maxAge?: number } = {}) =>
  encode({ token, secret: opts.secret ?? getEnv().AUTH_SECRET, salt: opts.salt ?? sessionCookieName(), maxAge: opts.maxAge });

const CASES: [string, () => Promise<string>][] = [
  ["no cookie", async () => ""],
  ["a session", async () => `${sessionCookieName()}=${await seal({ sub: USER, sid: "s1" })}`],
  ["a session among other cookies", async () => `a=1; ${sessionCookieName()}=${await seal({ sub: USER, sid: "s1" })}; b=2`],
  ["not a token", async () => `${sessionCookieName()}=garbage`],
  ["another secret", async () => `${sessionCookieName()}=${await seal({ sub: USER, sid: "s1" }, { secret: "y".repeat(48) })}`],
  ["another salt", async () => `${sessionCookieName()}=${await seal({ sub: USER, sid: "s1" }, { salt: "authjs.csrf-token" })}`],
  ["expired", async () => `${sessionCookieName()}=${await seal({ sub: USER, sid: "s1" }, { maxAge: -60 })}`],
  ["no session id", async () => `${sessionCookieName()}=${await seal({ sub: USER })}`],
  ["a session id that is no string", async () => `${sessionCookieName()}=${await seal({ sub: USER, sid: 7 })}`],
  ["no user", async () => `${sessionCookieName()}=${await seal({ sid: "s1" })}`],
  ["in two chunks, out of order", async () => {
    const t = await seal({ sub: USER, sid: "s1" });
    return `${sessionCookieName()}.1=${t.slice(80)}; ${sessionCookieName()}.0=${t.slice(0, 80)}`;
  }],
  ["a whole token beside a stale chunk", async () => {
    const t = await seal({ sub: USER, sid: "s1" });
    return `${sessionCookieName()}=${t}; ${sessionCookieName()}.1=${t.slice(80)}`;
  }],
];

describe("the session cookie reads as Auth.js reads it", () => {
  it.each(CASES)("%s", async (_, make) => {
    request.cookie = await make();
    const session = await auth();
    const byAuthJs = session?.user?.id && session.sid ? { userId: session.user.id, sid: session.sid } : null;
    const byUs = await withLaneCookies(new Headers({ cookie: request.cookie }), new Headers(), readSessionCookie);
    expect(byUs).toEqual(byAuthJs);
  });

  it("a token read before (opened once, kept) still ends at its expiry", async () => {
    request.cookie = `${sessionCookieName()}=${await seal({ sub: USER, sid: "s1" }, { maxAge: 60 })}`;
    const read = () => withLaneCookies(new Headers({ cookie: request.cookie }), new Headers(), readSessionCookie);
    expect(await read()).toEqual({ userId: USER, sid: "s1" });
    expect(await read()).toEqual({ userId: USER, sid: "s1" });
    vi.useFakeTimers({ now: Date.now() + 80_000, toFake: ["Date"] });
    try {
      expect(await auth()).toBeNull();
      expect(await read()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads a session (the table above can tell a session from none)", async () => {
    request.cookie = `${sessionCookieName()}=${await seal({ sub: USER, sid: "s1" })}`;
    expect(await withLaneCookies(new Headers({ cookie: request.cookie }), new Headers(), readSessionCookie)).toEqual({ userId: USER, sid: "s1" });
  });
});

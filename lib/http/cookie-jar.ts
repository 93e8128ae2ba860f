import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { RequestCookies, ResponseCookies } from "next/dist/compiled/@edge-runtime/cookies";
import { cookies } from "next/headers";

type SetOptions = Parameters<ResponseCookies["set"]>[2];

/** What the sign-in steps and the session check need of a request's cookies: read, set, delete (as Next's `cookies()` in a route). */
export interface CookieJar {
  get(name: string): { value: string } | undefined;
  getAll(): { name: string; value: string }[];
  set(name: string, value: string, options?: SetOptions): unknown;
  delete(cookie: { name: string; path?: string; domain?: string; secure?: boolean; httpOnly?: boolean; sameSite?: "lax" | "strict" | "none" }): unknown;
}

const laneJar = new AsyncLocalStorage<CookieJar>();

/**
 * This request's cookies: Next's `cookies()` inside Next, or the jar of a request the production
 * server answers on its direct lane (lib/http/direct-lane.ts), which runs outside Next's request scope.
 */
export async function requestCookies(): Promise<CookieJar> {
  return laneJar.getStore() ?? ((await cookies()) as unknown as CookieJar);
}

/** Whether this code runs for a request answered on the direct lane (outside Next's request scope). */
export function onDirectLane(): boolean {
  return laneJar.getStore() !== undefined;
}

/**
 * Run `fn` with a cookie jar over `requestHeaders` whose changes become `Set-Cookie` headers in
 * `responseHeaders`, serialized by the same code as Next's (its edge-runtime cookies package), and
 * read back by later `get`s as Next's mutable cookies are.
 */
export function withLaneCookies<T>(requestHeaders: Headers, responseHeaders: Headers, fn: () => Promise<T>): Promise<T> {
  const incoming = new RequestCookies(requestHeaders);
  const outgoing = new ResponseCookies(responseHeaders);
  const deleted = (c: { value: string; expires?: number | Date }) => c.value === "" && c.expires !== undefined && new Date(c.expires).getTime() <= Date.now();
  const jar: CookieJar = {
    get: (name) => {
      const changed = outgoing.get(name);
      if (!changed) return incoming.get(name);
      return deleted(changed) ? undefined : changed;
    },
    getAll: () => {
      const changed = outgoing.getAll();
      const names = new Set(changed.map((c) => c.name));
      return [...incoming.getAll().filter((c) => !names.has(c.name)), ...changed.filter((c) => !deleted(c))];
    },
    set: (name, value, options) => outgoing.set(name, value, options),
    delete: (cookie) => outgoing.delete(cookie),
  };
  return laneJar.run(jar, fn);
}

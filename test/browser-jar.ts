import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Cookies of simulated browsers for tests that call sign-in steps directly: `vi.mock("next/headers",
 * () => browserHeadersMock())`, then run each step inside `inBrowser(jar, …)`, so concurrent
 * "browsers" keep their own cookies.
 */
export type Jar = Map<string, string>;
const current = new AsyncLocalStorage<Jar>();

export const newJar = (): Jar => new Map();
export const inBrowser = <T>(jar: Jar, fn: () => Promise<T>): Promise<T> => current.run(jar, fn);

function jar(): Jar {
  const j = current.getStore();
  if (!j) throw new Error("cookies() outside inBrowser()");
  return j;
}

export function browserHeadersMock() {
  return {
    headers: async () => new Headers({ "user-agent": "vitest" }),
    cookies: async () => ({
      get: (name: string) => (jar().has(name) ? { name, value: jar().get(name)! } : undefined),
      getAll: () => [...jar()].map(([name, value]) => ({ name, value })),
      has: (name: string) => jar().has(name),
      set: (name: string | { name: string; value: string }, value?: string) =>
        typeof name === "string" ? jar().set(name, value ?? "") : jar().set(name.name, name.value),
      delete: (name: string | { name: string }) => jar().delete(typeof name === "string" ? name : name.name),
    }),
  };
}

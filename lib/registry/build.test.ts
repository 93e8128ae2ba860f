import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, ITEMS, Registry, THEME_ITEM } from "./build";

const root = path.resolve(__dirname, "../..");
const origin = "https://id.example.com";
const registry = new Registry(root, origin);
const HOST = new Set(["react", "react-dom", "next"]);

const itemName = (url: string) => {
  expect(url.startsWith(`${origin}/r/`) && url.endsWith(".json"), url).toBe(true);
  return url.slice(`${origin}/r/`.length, -".json".length);
};

/** Every file an item brings, with the items it depends on (transitively). */
function closure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of registry.item(name).registryDependencies) closure(itemName(dep), seen);
  return seen;
}

describe("shadcn registry", () => {
  it("serves the login state manager, every state, the members table and the audit explorer", () => {
    const names = registry.names();
    for (const n of ["login-state-manager", "login-and-signup", "confirm-your-email", "update-password", "update-user-property", "enroll-in-mfa", "verify-mfa", "join-an-organization", "logged-in", "members-table", "audit-explorer", THEME_ITEM, "utils", "button"]) {
      expect(names).toContain(n);
    }
    const index = registry.index();
    expect(index.items.map((i) => i.name).sort()).toEqual([...names].sort());
    for (const item of index.items) for (const f of item.files) expect(f).not.toHaveProperty("content");
  });

  it("has self-contained items: dependencies only on items it serves, every import provided, npm packages pinned", () => {
    const names = new Set(registry.names());
    for (const name of names) {
      const item = registry.item(name);
      for (const dep of item.registryDependencies) expect(names.has(itemName(dep)), `${name} → ${dep}`).toBe(true);
      for (const dep of item.dependencies) expect(dep, name).toMatch(/^(@[a-z0-9-]+\/)?[a-z0-9.-]+@\d+\.\d+\.\d+/);
      // Every file the item's files import is in the item or in an item it depends on.
      const provided = new Set<string>();
      const packages = new Set<string>();
      for (const n of closure(name)) {
        for (const f of registry.item(n).files) provided.add(f.path);
        for (const d of registry.item(n).dependencies) packages.add(d.replace(/@[^@]+$/, ""));
      }
      for (const file of item.files) {
        expect(file.content, file.path).toBeTruthy();
        for (const spec of importsOf(file.content!)) {
          if (spec.startsWith("@/") || spec.startsWith(".")) {
            const base = spec.startsWith("@/") ? spec.slice(2) : path.posix.join(path.posix.dirname(file.path), spec);
            const found = [base, `${base}.ts`, `${base}.tsx`].some((c) => provided.has(c));
            expect(found, `${name}: ${file.path} imports ${spec}`).toBe(true);
          } else {
            const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
            if (!HOST.has(pkg)) expect(packages.has(pkg), `${name}: ${file.path} imports ${pkg}`).toBe(true);
          }
        }
      }
    }
  });

  it("keeps server code out: no item file imports server-only, the database or next/headers", () => {
    for (const name of registry.names()) {
      for (const file of registry.item(name).files) {
        expect(file.content, file.path).not.toMatch(/["'](server-only|next\/headers|drizzle-orm|pg)["']/);
        expect(file.path, name).not.toMatch(/^(app|drizzle)\//);
      }
    }
  });

  it("ships the theme tokens as shadcn cssVars and the sign-in kit depends on them", () => {
    const theme = registry.item(THEME_ITEM);
    expect(theme.cssVars?.light.primary).toBeTruthy();
    expect(theme.cssVars?.dark.primary).toBeTruthy();
    expect(theme.cssVars?.theme?.radius).toBe("0.625rem");
    expect(registry.item("login-kit").registryDependencies).toContain(`${origin}/r/${THEME_ITEM}.json`);
    const manager = registry.item("login-state-manager");
    expect(manager.type).toBe("registry:block");
    // Its one npm package: the WebAuthn browser library the passkey button loads on demand.
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manager.dependencies).toEqual([`@simplewebauthn/browser@${pkg.dependencies["@simplewebauthn/browser"]}`]);
  });

  it("refuses an item that would pull server code", () => {
    const bad = new Registry(root, origin, [...ITEMS, { name: "bad", title: "bad", description: "", files: ["lib/brand.ts", "lib/audit/query.ts"] }]);
    expect(() => bad.item("bad")).toThrow(/server code/);
  });
});

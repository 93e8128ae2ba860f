import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function files(dir: string): string[] {
  return (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .map((f) => path.join(dir, f).split(path.sep).join("/"))
    .filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f));
}

/** Names a module exports as values (functions and consts, destructured too). */
function exportedNames(src: string): string[] {
  const names = new Set<string>();
  for (const m of src.matchAll(/export\s+(?:async\s+)?(?:const|let|function)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  for (const m of src.matchAll(/export\s+const\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.split(":").at(-1)!.trim();
      if (name) names.add(name);
    }
  }
  for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).at(-1)!.trim();
      if (name && !name.startsWith("type ")) names.add(name);
    }
  }
  return [...names];
}

/**
 * Every entry point that can change state: POST/PUT/PATCH/DELETE exports of route handlers under
 * app/, and every export of a "use server" module (server actions). Keys look like
 * `app/api/orgs/[slug]/route.ts PATCH` and `app/(console)/account/actions.ts signOutOtherSessionsAction`.
 */
export function discoverMutations(): string[] {
  const keys: string[] = [];
  for (const f of files("app")) {
    const src = readFileSync(path.join(ROOT, f), "utf8");
    if (/(^|\/)route\.tsx?$/.test(f)) {
      for (const name of exportedNames(src)) if (MUTATING.has(name)) keys.push(`${f} ${name}`);
    }
  }
  for (const dir of ["app", "lib", "components"]) {
    for (const f of files(dir)) {
      const src = readFileSync(path.join(ROOT, f), "utf8");
      if (!/^\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(src)) continue;
      for (const name of exportedNames(src)) keys.push(`${f} ${name}`);
    }
  }
  return keys.sort();
}

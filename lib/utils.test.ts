import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { twMerge } from "tailwind-merge";
import { describe, expect, it } from "vitest";
import { cn } from "./utils";

const root = path.resolve(__dirname, "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".test.ts")) out.push(readFileSync(p, "utf8"));
  }
  return out;
}

/** Every string literal in the source that looks like a list of Tailwind classes. */
function classStrings(files: string[]): string[] {
  const set = new Set<string>();
  for (const src of files) {
    for (const m of src.matchAll(/"([^"\n]{2,})"|`([^`$\n]{2,})`/g)) {
      const s = (m[1] ?? m[2])!;
      if (/^[a-z0-9:/[\]().%_#@*!&>=,'-]+(?: [a-z0-9:/[\]().%_#@*!&>=,'-]+)*$/i.test(s) && /(^|\s)[a-z-]+-[a-z0-9[]/.test(s)) set.add(s);
    }
  }
  return [...set];
}

describe("cn", () => {
  const ui = classStrings(sources(path.join(root, "components/ui")));
  const used = classStrings([...sources(path.join(root, "components")).filter((src) => !src.includes("data-slot=")), ...sources(path.join(root, "app"))]);

  it("merges like the full tailwind-merge for every className of the code base over every UI primitive's classes", () => {
    expect(ui.length).toBeGreaterThan(30);
    expect(used.length).toBeGreaterThan(200);
    const differences: string[] = [];
    for (const base of ui) {
      for (const extra of used) {
        const input = `${base} ${extra}`;
        if (cn(input) !== twMerge(input)) differences.push(`${input}\n  ours: ${cn(input)}\n  full: ${twMerge(input)}`);
      }
    }
    expect(differences.slice(0, 10)).toEqual([]);
  });

  it("lets later utilities win", () => {
    expect(cn("h-9 px-4 py-2", "h-auto p-0")).toBe("h-auto p-0");
    expect(cn("text-sm text-muted-foreground", "text-destructive")).toBe("text-sm text-destructive");
    expect(cn("border border-input", "border-2")).toBe("border-input border-2");
    expect(cn("size-9", "w-4")).toBe("size-9 w-4");
    expect(cn("w-4", "size-9")).toBe("size-9");
  });
});

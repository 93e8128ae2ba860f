// First-load JavaScript of an App Router page, read from a production build's manifests (no server).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

export interface FirstLoad {
  /** Chunk files (relative to .next/) the page loads before it is interactive. */
  files: string[];
  /** Sum of their gzip sizes, bytes. */
  gzipBytes: number;
}

/** The gzip size of one file (zlib level 9, what a CDN would serve pre-compressed). */
export function gzipSize(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

/**
 * The scripts a page's HTML loads: the runtime every App Router page loads (build-manifest.json
 * rootMainFiles) plus every chunk the client reference manifest lists for the page's segments
 * (`entryJSFiles`: root layout, error boundaries, each layout and the page). Chunks loaded later
 * with import()/next/dynamic are not in it. Polyfills (nomodule, not run by modern browsers) are left out.
 */
export function firstLoadFiles(nextDir: string, route: string): string[] {
  const buildManifest = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const manifestFile = path.join(nextDir, "server", "app", route, "page_client-reference-manifest.js");
  const files = new Set(buildManifest.rootMainFiles);
  if (existsSync(manifestFile)) {
    const sandbox = { globalThis: {} as Record<string, unknown> };
    vm.runInNewContext(readFileSync(manifestFile, "utf8"), sandbox);
    const all = (sandbox.globalThis.__RSC_MANIFEST ?? {}) as Record<string, { entryJSFiles?: Record<string, string[]> }>;
    const manifest = all[`/${route}/page`] ?? Object.values(all)[0];
    for (const chunks of Object.values(manifest?.entryJSFiles ?? {})) for (const c of chunks) files.add(c);
  }
  return [...files].sort();
}

export function firstLoad(nextDir: string, route: string): FirstLoad {
  const files = firstLoadFiles(nextDir, route);
  return { files, gzipBytes: files.reduce((sum, f) => sum + gzipSize(path.join(nextDir, f)), 0) };
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

// Shared helpers for benchmarks: percentiles and a production server on a fresh embedded database.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServerDatabase } from "../test/server-database";

export const root = path.resolve(__dirname, "..");

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** Time `fn` `n` times after `warmup` untimed runs; returns milliseconds per run. */
export async function sample(n: number, fn: () => Promise<unknown>, warmup = 10): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Start the production build (building first if needed) on a fresh database: a throw-away database
 * on DATABASE_URL's server when it is set, else a fresh PGlite folder.
 */
export async function startServer(port: number): Promise<{ url: string; kind: string; stop: () => void }> {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const build = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, env, stdio: "inherit" });
    if (build.status !== 0) throw new Error("build failed");
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-"));
  const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL, "gh_bench") : null;
  const child: ChildProcess = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port)], {
    cwd: root,
    env: { ...env, DATABASE_URL: server?.url ?? "", DATA_DIR: dataDir, APP_ENV: "test", PORT: String(port) },
    stdio: "ignore",
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    kind: server ? "PostgreSQL" : "embedded PGlite",
    stop: () => {
      child.kill("SIGTERM");
      setTimeout(() => {
        rmSync(dataDir, { recursive: true, force: true });
        void server?.drop();
      }, 1000);
    },
  };
}

// Shared helpers for benchmarks: percentiles and a production server on a fresh embedded database.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Database, setDatabase } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
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
 * Time several functions `n` times each, interleaved (one run of each per round), after `warmup`
 * untimed rounds: drift in the machine's speed then hits every series alike, so their ratios hold.
 */
export async function sampleInterleaved<K extends string>(
  n: number,
  fns: Record<K, () => Promise<unknown>>,
  warmup = 50,
): Promise<Record<K, number[]>> {
  const entries = Object.entries(fns) as [K, () => Promise<unknown>][];
  for (let i = 0; i < warmup; i++) for (const [, fn] of entries) await fn();
  const out = Object.fromEntries(entries.map(([k]) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < n; i++) {
    for (const [k, fn] of entries) {
      const t = performance.now();
      await fn();
      out[k].push(performance.now() - t);
    }
  }
  return out;
}

/**
 * Start the production build (building first if needed) on a fresh database: a throw-away database
 * on DATABASE_URL's server when it is set, else a fresh PGlite folder. `prepare` runs against that
 * database before the server starts (the server holds PGlite's folder exclusively once it runs).
 */
export async function startServer<T = undefined>(
  port: number,
  prepare?: (database: Database) => Promise<T>,
  serverEnv: Record<string, string> = {},
): Promise<{ url: string; kind: string; fixture: T; pid: () => number; databaseUrl: string | undefined; stop: () => Promise<void> }> {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const build = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, env, stdio: "inherit" });
    if (build.status !== 0) throw new Error("build failed");
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-"));
  const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL, "gh_bench") : null;
  const url = `http://localhost:${port}`;
  let fixture = undefined as T;
  if (prepare) {
    // The same origin, environment and data folder (where development secrets are kept) as the server.
    Object.assign(process.env, { APP_URL: url, APP_ENV: "test", DATA_DIR: dataDir });
    const database = openDatabase({ url: server?.url, dataDir, logIdleErrors: false });
    try {
      fixture = await prepare(database);
    } finally {
      await database.close();
      setDatabase(undefined);
    }
  }
  // Our own server (scripts/server.ts): the client IP comes from the socket, as in production.
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") runs the server under node with
  // those flags, for profiling it under a benchmark's load.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean);
  const [command, args] = nodeArgs
    ? [process.execPath, [...nodeArgs, "--import", "tsx", path.join(root, "scripts/server.ts")]]
    : [path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/server.ts")]];
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    env: { ...env, DATABASE_URL: server?.url ?? "", DATA_DIR: dataDir, APP_ENV: "test", APP_URL: url, PORT: String(port), ...serverEnv },
    stdio: process.env.BENCH_SERVER_OUTPUT ? "inherit" : "ignore",
  });
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
    fixture,
    pid: () => child.pid!,
    databaseUrl: server?.url,
    // Awaited in the benchmarks' `finally`, so the throw-away database is dropped even when a run fails.
    stop: async () => {
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
      await server?.drop();
    },
  };
}

/**
 * Print one row of the benchmark table: what was measured, its goal, the figure and the verdict.
 * `npm run bench` (bench/run.ts) gathers these lines into the summary it prints at the end.
 */
export function verdict(row: string, goal: string, measured: string, pass: boolean): void {
  console.log(`${pass ? "PASS" : "FAIL"}  ${row}: ${measured} (goal ${goal})`);
  console.log(`::verdict::${JSON.stringify({ row, goal, measured, pass })}`);
}

/** min / median / max of a series, formatted with `digits` decimals. */
export function spread(xs: number[], digits = 2): { min: number; med: number; max: number; text: string } {
  const s = [...xs].sort((a, b) => a - b);
  const [min, med, max] = [s[0]!, s[Math.floor(s.length / 2)]!, s[s.length - 1]!];
  return { min, med, max, text: `${min.toFixed(digits)}/${med.toFixed(digits)}/${max.toFixed(digits)}` };
}

/**
 * `rounds` rounds of `sampleInterleaved(n, fns)`; returns every round's samples. A ratio taken per
 * round then shows how steady it is (min/median/max), which one long series hides.
 */
export async function interleavedRounds<K extends string>(
  rounds: number,
  n: number,
  fns: Record<K, () => Promise<unknown>>,
  warmup = 50,
): Promise<Record<K, number[]>[]> {
  const out: Record<K, number[]>[] = [];
  for (let r = 0; r < rounds; r++) out.push(await sampleInterleaved(n, fns, r === 0 ? warmup : 5));
  return out;
}

/** Per round: p`p` of series `a` ÷ p`p` of series `b`. */
export const roundRatios = <K extends string>(rounds: Record<K, number[]>[], a: K, b: K, p = 50) =>
  rounds.map((r) => percentile(r[a], p) / percentile(r[b], p));

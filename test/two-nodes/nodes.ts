// Two app nodes for the two-node checks (limits.ts, api-keys.ts): two `next start` processes on one
// throw-away PostgreSQL database made on the server of DATABASE_URL, behind one public origin (the
// first node's), sharing one data folder (the development secrets). Needs `npx next build`.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Database, openDatabase } from "@/lib/db/client";
import { createServerDatabase } from "../server-database";

const root = path.resolve(__dirname, "../..");

export interface TwoNodes<F> {
  fixture: F;
  ports: [number, number];
  /** The base URL of the node that serves request `i`: even ones the first node, odd ones the second. */
  node: (i: number) => string;
}

export interface TwoNodeRun<F> {
  defaultPorts: string;
  env?: Record<string, string>;
  prepare: (database: Database) => Promise<F>;
  check: (nodes: TwoNodes<F>) => Promise<boolean>;
}

/**
 * Run `check` against two nodes: ports from TWO_NODE_PORTS (else `defaultPorts`), both refused when
 * taken; `env` goes to this process (for `prepare`) and to both nodes; `prepare` seeds the database
 * before they start. The exit code is 0 when `check` returns true; nodes, folder and database are
 * removed either way.
 */
export function runOnTwoNodes<F>(options: TwoNodeRun<F>): void {
  main(options).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

async function main<F>({ defaultPorts, env, prepare, check }: TwoNodeRun<F>) {
  const [portA, portB] = (process.env.TWO_NODE_PORTS ?? defaultPorts).split(",").map(Number) as [number, number];
  if (!process.env.DATABASE_URL) throw new Error("Set DATABASE_URL to a PostgreSQL server.");
  for (const port of [portA, portB]) {
    const taken = await fetch(`http://localhost:${port}/api/health`).then(() => true, () => false);
    if (taken) throw new Error(`Port ${port} is already in use: stop that server or set TWO_NODE_PORTS.`);
  }
  const server = await createServerDatabase(process.env.DATABASE_URL, "gh_twonode");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-two-nodes-"));
  // Both nodes behind one public origin; the same data folder holds the shared development secrets.
  const shared = { APP_URL: `http://localhost:${portA}`, APP_ENV: "test", DATA_DIR: dataDir, ...env };
  Object.assign(process.env, shared);
  const database = openDatabase({ url: server.url, logIdleErrors: false });
  const fixture = await prepare(database);
  await database.close();
  const nodes: ChildProcess[] = [portA, portB].map((port) =>
    spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port)], {
      cwd: root,
      env: { ...process.env, ...shared, DATABASE_URL: server.url, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "ignore",
    }),
  );
  try {
    for (const port of [portA, portB]) await healthy(`http://localhost:${port}`);
    console.log(`two nodes (${portA}, ${portB}) on one PostgreSQL database`);
    const node = (i: number) => `http://localhost:${i % 2 ? portB : portA}`;
    process.exitCode = (await check({ fixture, ports: [portA, portB], node })) ? 0 : 1;
  } finally {
    for (const n of nodes) n.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(dataDir, { recursive: true, force: true });
    await server.drop();
  }
}

async function healthy(url: string) {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not start`);
}

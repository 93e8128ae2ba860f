import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServerDatabase } from "../../test/server-database";

const root = path.resolve(__dirname, "..", "..");

/** A Gatehouse server process of its own (the production build), for tests of a whole install. */
export interface AppServer {
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the process's exit code once it ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Start the production server on `port` with `env` (added to a clean base); wait until healthy or exited. */
export async function startAppServer(port: number, env: Record<string, string>, opts: { waitHealthy?: boolean } = {}): Promise<AppServer> {
  const url = `http://localhost:${port}`;
  // The production server `npm start` runs (scripts/server.ts: the client IP from the socket).
  const child: ChildProcess = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/server.ts")], {
    cwd: root,
    env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), APP_URL: url, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const server: AppServer = {
    url,
    output: () => out,
    exited,
    async stop() {
      if (done) return;
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (!done) child.kill("SIGKILL");
    },
  };
  if (opts.waitHealthy === false) return server;
  for (let i = 0; i < 240 && !done; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`server on ${port} did not become healthy:\n${out}`);
}

/**
 * A fresh, empty install for one server: a data folder (PGlite's database, generated secrets, audit
 * checkpoints) and, for "postgres", a new database on DATABASE_URL's server.
 */
export async function freshDatabase(kind: "postgres" | "pglite"): Promise<{ env: Record<string, string>; url?: string; drop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-prod-"));
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  if (kind === "postgres") {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) throw new Error("DATABASE_URL is not set");
    const db = await createServerDatabase(serverUrl, "gh_e2e_prod");
    return { env: { DATABASE_URL: db.url, DATA_DIR: dir }, url: db.url, drop: () => db.drop().then(removeDir) };
  }
  return { env: { DATA_DIR: dir }, drop: removeDir };
}

/** The database kinds this run can test: PGlite always, the server when DATABASE_URL is set. */
export function databaseKinds(): ("postgres" | "pglite")[] {
  return process.env.DATABASE_URL ? ["postgres", "pglite"] : ["pglite"];
}

/** Production secrets for a test install. */
export const PRODUCTION_SECRETS = {
  APP_ENV: "production",
  AUTH_SECRET: "e2e-production-auth-secret-0123456789-abcdefghij",
  ENCRYPTION_KEY: "ab".repeat(32),
  AUDIT_SIGNING_KEY: "ef".repeat(32),
};

// Limits hold across app nodes: two `next start` processes on one PostgreSQL database, 50 parallel
// MCP calls on one grant (limit 10) and 30 parallel token requests of one client (limit 5), split
// between the nodes. Needs `npx next build` and DATABASE_URL (a server; a throw-away database is
// made on it). Ports: TWO_NODE_PORTS (default 3301,3302). Run:
//   DATABASE_URL=postgres://… npx tsx --conditions=react-server test/two-nodes/limits.ts
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/lib/db/client";
import { prepareOAuthFixture } from "../../bench/_setup";
import { createServerDatabase } from "../server-database";

const root = path.resolve(__dirname, "../..");
const [portA, portB] = (process.env.TWO_NODE_PORTS ?? "3301,3302").split(",").map(Number) as [number, number];
const LIMITS = { MCP_PER_GRANT_PER_MINUTE: "10", OAUTH_TOKEN_PER_CLIENT_PER_MINUTE: "5" };

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("Set DATABASE_URL to a PostgreSQL server.");
  for (const port of [portA, portB]) {
    const taken = await fetch(`http://localhost:${port}/api/health`).then(() => true, () => false);
    if (taken) throw new Error(`Port ${port} is already in use: stop that server or set TWO_NODE_PORTS.`);
  }
  const server = await createServerDatabase(process.env.DATABASE_URL, "gh_twonode");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-two-nodes-"));
  // Both nodes behind one public origin; the same data folder holds the shared development secrets.
  const shared = { APP_URL: `http://localhost:${portA}`, APP_ENV: "test", DATA_DIR: dataDir, ...LIMITS };
  Object.assign(process.env, shared);
  const database = openDatabase({ url: server.url, logIdleErrors: false });
  const fixture = await prepareOAuthFixture(database);
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
    const node = (i: number) => `http://localhost:${i % 2 ? portB : portA}`;

    const mcp = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${node(i)}/api/mcp`, {
          method: "POST",
          headers: { authorization: `Bearer ${fixture.accessToken}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "whoami", arguments: {} } }),
        }).then((r) => r.status),
      ),
    );
    const token = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${node(i)}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "authorization_code", code: "nope", redirect_uri: "http://127.0.0.1:1/cb", client_id: fixture.clientId, code_verifier: "x".repeat(43) }),
        }).then((r) => r.status),
      ),
    );
    const tally = (xs: number[]) => Object.entries(xs.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {})).map(([s, n]) => `${n}×${s}`).join(" ");
    console.log(`two nodes (${portA}, ${portB}) on one PostgreSQL database`);
    console.log(`50 parallel MCP calls on one grant, limit 10/min: ${tally(mcp)}`);
    console.log(`30 parallel token requests of one client, limit 5/min: ${tally(token)}`);
    const ok = mcp.filter((s) => s === 200).length === 10 && token.filter((s) => s === 429).length === 25;
    console.log(ok ? "PASS: the limits hold across nodes" : "FAIL");
    process.exitCode = ok ? 0 : 1;
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

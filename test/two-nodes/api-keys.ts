// API key limits hold across app nodes: two `next start` processes on one PostgreSQL database,
// 50 parallel validations of one personal key limited to 10/min, split between the nodes → exactly
// 10 allowed, 40 answered 429 with Retry-After. Needs `npx next build` and DATABASE_URL (a server; a
// throw-away database is made on it). Ports: TWO_NODE_PORTS (default 3701,3702). Run:
//   DATABASE_URL=postgres://… npx tsx --conditions=react-server test/two-nodes/api-keys.ts
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/lib/db/client";
import { prepareApiKeyFixture } from "../../bench/_api-keys-setup";
import { createServerDatabase } from "../server-database";

const root = path.resolve(__dirname, "../..");
const [portA, portB] = (process.env.TWO_NODE_PORTS ?? "3701,3702").split(",").map(Number) as [number, number];

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("Set DATABASE_URL to a PostgreSQL server.");
  for (const port of [portA, portB]) {
    const taken = await fetch(`http://localhost:${port}/api/health`).then(() => true, () => false);
    if (taken) throw new Error(`Port ${port} is already in use: stop that server or set TWO_NODE_PORTS.`);
  }
  const server = await createServerDatabase(process.env.DATABASE_URL, "gh_twonode");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-two-nodes-"));
  const shared = { APP_URL: `http://localhost:${portA}`, APP_ENV: "test", DATA_DIR: dataDir };
  Object.assign(process.env, shared);
  const database = openDatabase({ url: server.url, logIdleErrors: false });
  const fixture = await prepareApiKeyFixture(database, 10);
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
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${node(i)}/api/v1/api-keys/validate`, {
          method: "POST",
          headers: { authorization: `Bearer ${fixture.platformKey}`, "content-type": "application/json" },
          body: JSON.stringify({ apiKey: fixture.userKey }),
        }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: (await r.json()) as { rateLimit?: { allowed: boolean } } })),
      ),
    );
    const allowed = results.filter((r) => r.status === 200 && r.body.rateLimit?.allowed).length;
    const refused = results.filter((r) => r.status === 429 && Number(r.retryAfter) > 0 && r.body.rateLimit?.allowed === false).length;
    console.log(`two nodes (${portA}, ${portB}) on one PostgreSQL database`);
    console.log(`50 parallel validations of one key limited to 10/min: ${allowed} allowed, ${refused} × 429 with Retry-After, ${50 - allowed - refused} other`);
    const ok = allowed === 10 && refused === 40;
    console.log(ok ? "PASS: the key's limit holds across nodes" : "FAIL");
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

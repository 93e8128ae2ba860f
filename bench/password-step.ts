// The sign-in kit's password step (POST /api/login/password over HTTP, on the production build)
// against a single argon2id verify measured in the same run. Goal: ≤ 1.3× at p50. Also, interleaved
// with them, this machine's floor for any HTTP password step: a bare node:http server that does
// nothing but the same verify (bench/peers/bare-verify-server.mjs), asked by the same client.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { hash, verify } from "@node-rs/argon2";
import { fmt, interleavedRounds, percentile, root, roundRatios, spread, startServer, verdict } from "./lib";

const N = Number(process.env.BENCH_N ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function main() {
  const server = await startServer(Number(process.env.BENCH_PORT ?? 3190));
  const barePort = Number(process.env.BENCH_BARE_PORT ?? 3191);
  let bareServer: ChildProcess | null = null;
  try {
    bareServer = spawn(process.execPath, [path.join(root, "bench/peers/bare-verify-server.mjs"), String(barePort), "gatehouse-demo-2026"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    await once(bareServer.stdout!, "data");
    const body = JSON.stringify({ email: "member@xcorp.example", password: "gatehouse-demo-2026" });
    // Same parameters as lib/auth/password.ts: argon2id, 19 MiB, 2 iterations, 1 lane.
    const stored = await hash("gatehouse-demo-2026", { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    // Interleaved, so drift in the machine's speed hits every series alike.
    const rounds = await interleavedRounds(ROUNDS, N, {
      step: async () => {
        const res = await fetch(`${server.url}/api/login/password`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body,
        });
        if (!res.ok) throw new Error(`password step answered ${res.status}: ${await res.text()}`);
        // Read to its end, as a browser does: an unread body keeps the connection from being reused.
        await res.arrayBuffer();
      },
      trivial: async () => {
        const res = await fetch(`${server.url}/api/login/state`);
        if (!res.ok) throw new Error(`state answered ${res.status}`);
        await res.arrayBuffer();
      },
      floor: async () => {
        const res = await fetch(`http://127.0.0.1:${barePort}/`, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (!res.ok) throw new Error(`bare verify server answered ${res.status}`);
        await res.arrayBuffer();
      },
      bare: () => verify(stored, "gatehouse-demo-2026"),
    }, 20);
    const { step, trivial, floor, bare } = rounds[rounds.length - 1]!;
    const [s50, s95, b50, b95] = [percentile(step, 50), percentile(step, 95), percentile(bare, 50), percentile(bare, 95)];
    console.log(`database: ${server.kind}`);
    console.log(`password step (HTTP)   p50 ${fmt(s50)}  p95 ${fmt(s95)}`);
    console.log(`argon2id verify        p50 ${fmt(b50)}  p95 ${fmt(b95)}`);
    console.log(`trivial route (HTTP)   p50 ${fmt(percentile(trivial, 50))}  p95 ${fmt(percentile(trivial, 95))}  (GET /api/login/state, no flow: the HTTP + Next.js floor)`);
    console.log(`bare verify server     p50 ${fmt(percentile(floor, 50))}  p95 ${fmt(percentile(floor, 95))}  (node:http, the verify and nothing else: this machine's floor for an HTTP step)`);
    const ratio = spread(roundRatios(rounds, "step", "bare"));
    console.log(`(last round above) step ÷ argon2id per round, min/median/max: p50 ${ratio.text}×  p95 ${spread(roundRatios(rounds, "step", "bare", 95)).text}×`);
    const floorRatio = spread(roundRatios(rounds, "floor", "bare"));
    console.log(`floor: bare verify server ÷ argon2id, p50 ${floorRatio.text}×; step ÷ bare verify server, p50 ${spread(roundRatios(rounds, "step", "floor")).text}×`);
    verdict("password step ÷ one argon2id verify, p50", "≤ 1.3×", `${ratio.text}× (min/median/max of ${ROUNDS} rounds; a bare node:http verify server: ${floorRatio.text}×)`, ratio.med <= 1.3);
  } finally {
    bareServer?.kill("SIGTERM");
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

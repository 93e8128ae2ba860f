// POST /api/v1/api-keys/validate (platform key check, key lookup with org/plan/permissions, one
// limiter unit, use counted) over HTTP on the production build, against a trivial route of the same
// server (GET /oauth/jwks, JSON from memory), series interleaved, over several rounds. Then the
// throughput of each at 50 connections. Goal: validate p50 ≤ 1.5× the trivial route's.
//   npm run bench -- api-key      (BENCH_N samples per round, BENCH_ROUNDS rounds, BENCH_SECONDS per throughput run)
import { prepareApiKeyFixture } from "./_api-keys-setup";
import { fmt, percentile, sampleInterleaved, startServer, verdict } from "./lib";

const N = Number(process.env.BENCH_N ?? 300);
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 50;
const GOAL = 1.5;

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

/** Requests completed per second by `CONNECTIONS` loops for `SECONDS`. */
async function throughput(fn: () => Promise<void>): Promise<number> {
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        await fn();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function main() {
  const server = await startServer(Number(process.env.BENCH_PORT ?? 3791), (db) => prepareApiKeyFixture(db, 100_000_000), {
    API_KEY_VALIDATIONS_PER_MINUTE: "100000000",
  });
  try {
    const { platformKey, userKey } = server.fixture;
    const validate = async () => {
      const res = await fetch(`${server.url}/api/v1/api-keys/validate`, {
        method: "POST",
        headers: { authorization: `Bearer ${platformKey}`, "content-type": "application/json" },
        body: JSON.stringify({ apiKey: userKey, permission: "reports::read" }),
      });
      const body = (await res.json()) as { valid?: boolean; rateLimit?: { allowed: boolean } };
      if (res.status !== 200 || !body.valid || !body.rateLimit?.allowed) throw new Error(`validate answered ${res.status}: ${JSON.stringify(body)}`);
    };
    const trivial = async () => {
      const res = await fetch(`${server.url}/oauth/jwks`);
      if (!res.ok) throw new Error(`/oauth/jwks answered ${res.status}`);
      await res.arrayBuffer();
    };
    console.log(`database: ${server.kind}; ${ROUNDS} rounds of ${N} interleaved samples; throughput ${SECONDS} s at ${CONNECTIONS} connections`);
    const ratios: number[] = [];
    const rps: { validate: number[]; trivial: number[] } = { validate: [], trivial: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      const runs = await sampleInterleaved(N, { validate, trivial }, round === 1 ? 50 : 10);
      const v = percentile(runs.validate, 50);
      const t = percentile(runs.trivial, 50);
      ratios.push(v / t);
      // Interleaved across rounds too: the order of the two throughput runs alternates.
      const order = round % 2 ? (["validate", "trivial"] as const) : (["trivial", "validate"] as const);
      for (const k of order) rps[k].push(await throughput(k === "validate" ? validate : trivial));
      console.log(
        `round ${round}: validate p50 ${fmt(v)} p95 ${fmt(percentile(runs.validate, 95))} | trivial p50 ${fmt(t)} | ratio ${(v / t).toFixed(2)}× | ` +
          `50 conns: validate ${rps.validate.at(-1)!.toFixed(0)} req/s, trivial ${rps.trivial.at(-1)!.toFixed(0)} req/s`,
      );
    }
    const r = stats(ratios);
    const tv = stats(rps.validate);
    const tt = stats(rps.trivial);
    console.log(`validate p50 ÷ trivial p50: min ${r.min.toFixed(2)}×  median ${r.median.toFixed(2)}×  max ${r.max.toFixed(2)}×  (goal ≤ ${GOAL}×)`);
    console.log(`throughput at ${CONNECTIONS} connections, validate: min ${tv.min.toFixed(0)}  median ${tv.median.toFixed(0)}  max ${tv.max.toFixed(0)} req/s`);
    console.log(`throughput at ${CONNECTIONS} connections, trivial:  min ${tt.min.toFixed(0)}  median ${tt.median.toFixed(0)}  max ${tt.max.toFixed(0)} req/s`);
    console.log(r.median <= GOAL ? `VERDICT: PASS (median ratio ${r.median.toFixed(2)}× ≤ ${GOAL}×)` : `VERDICT: MISS (median ratio ${r.median.toFixed(2)}× > ${GOAL}×)`);
    verdict("API key validation ÷ trivial route, p50", `≤ ${GOAL}×`, `${r.min.toFixed(2)}/${r.median.toFixed(2)}/${r.max.toFixed(2)}× (min/median/max)`, r.median <= GOAL);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

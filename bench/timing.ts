// Timing parity of the sign-in kit: reset, magic-link, sign-up and password steps must answer in the
// same time for known and unknown addresses (over HTTP, production build). Goal per surface:
// |Δ median| ≤ max(5 ms, 5 %), over BENCH_N (default 200) interleaved requests per series.
import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { users } from "@/drizzle/schema";
import { migrateDatabase } from "@/lib/db/migrate";
import { fmt, percentile, sampleInterleaved, startServer, verdict } from "./lib";

const N = Number(process.env.BENCH_N ?? 200);
const WARMUP = 20;
const PASSWORD = "gatehouse-bench-timing-2026";
const SURFACES = ["reset", "magic", "signup", "password"] as const;
type Surface = (typeof SURFACES)[number];

// Budgets far above the run, so every request does the real work (not a 429).
const generous = {
  SIGN_IN_FAILURES_PER_CLIENT: "1000000",
  SIGN_IN_FAILURES_PER_ACCOUNT: "1000000",
  SIGN_IN_FAILURES_PER_IP: "1000000",
  SIGN_IN_HARD_STOP: "1000000",
  SIGN_UPS_PER_IP: "1000000",
  MAILS_PER_ADDRESS: "1000000",
  MAILS_PER_IP: "1000000",
};

async function main() {
  const perSurface = N + WARMUP;
  const server = await startServer(
    Number(process.env.BENCH_PORT ?? 3191),
    async (database) => {
      await migrateDatabase(database);
      const { db } = database;
      // Known addresses: one fresh account per request and surface (no request sees another's effects).
      const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
      const known: Record<Surface, string[]> = { reset: [], magic: [], signup: [], password: [] };
      for (const s of SURFACES) {
        known[s] = Array.from({ length: perSurface }, (_, i) => `known-${s}-${i}@bench.example`);
        for (let i = 0; i < perSurface; i += 500) {
          await db.insert(users).values(known[s].slice(i, i + 500).map((email) => ({ email, passwordHash, emailVerifiedAt: new Date() })));
        }
      }
      return known;
    },
    generous,
  );
  try {
    const known = server.fixture;
    const post = async (path: string, body: unknown, ok: number[]) => {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (!ok.includes(res.status)) throw new Error(`${path} answered ${res.status}`);
    };
    const unknown = () => `unknown-${randomUUID()}@bench.example`;
    const request: Record<Surface, (email: string) => Promise<void>> = {
      reset: (email) => post("/api/login/reset/request", { email }, [200]),
      magic: (email) => post("/api/login/magic-link", { email }, [200]),
      signup: (email) => post("/api/login/signup", { email, password: PASSWORD }, [200]),
      password: (email) => post("/api/login/password", { email, password: "not the password at all" }, [401]),
    };
    console.log(`database: ${server.kind}; ${N} interleaved requests per series after ${WARMUP} warm-up rounds`);
    let failures = 0;
    for (const s of SURFACES) {
      let k = 0;
      const series = await sampleInterleaved(
        N,
        { known: () => request[s](known[s][k++]!), unknown: () => request[s](unknown()) },
        WARMUP,
      );
      const [mk, mu] = [percentile(series.known, 50), percentile(series.unknown, 50)];
      const delta = Math.abs(mk - mu);
      const allowed = Math.max(5, 0.05 * Math.max(mk, mu));
      const pass = delta <= allowed;
      if (!pass) failures++;
      console.log(
        `${s.padEnd(9)} known p50 ${fmt(mk)} (min ${fmt(Math.min(...series.known))}, max ${fmt(Math.max(...series.known))})  ` +
          `unknown p50 ${fmt(mu)} (min ${fmt(Math.min(...series.unknown))}, max ${fmt(Math.max(...series.unknown))})  ` +
          `|Δ| ${fmt(delta)} ratio ${(mk / mu).toFixed(3)}  goal ≤ ${fmt(allowed)}: ${pass ? "PASS" : "FAIL"}`,
      );
    }
    verdict("timing parity, known vs unknown address (every surface)", "|Δ p50| ≤ max(5 ms, 5 %)", failures ? `${failures} surface(s) over` : "every surface within", failures === 0);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

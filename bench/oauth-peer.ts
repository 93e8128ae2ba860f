// The token endpoint against its peer: panva's oidc-provider 9 (refresh grant with rotation, ES256
// JWT access tokens, a PostgreSQL adapter: bench/peers/) beside Gatehouse's production server, both
// on the same PostgreSQL server (each its own database). Refresh-token throughput at 1, 10 and 50
// connections (one refresh-token chain per connection, all grants in one org), series interleaved
// (Gatehouse, then the peer, level by level, round after round), plus a variant with the grants
// spread over 10 orgs. Prints per round the throughput ratio, the p50 ratio and CPU per request
// (utime+stime from /proc: the app's process tree, and the database backends serving it).
// Goal: Gatehouse ÷ oidc-provider throughput ≥ 1× at every level.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createServerDatabase } from "../test/server-database";
import { prepareOAuthLoadFixture } from "./_setup";
import { percentile, root, spread, startServer, verdict } from "./lib";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/postgres";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const LEVELS = [1, 10, 50];
const GOAL = 1;

interface Side {
  name: string;
  url: string;
  /** The token endpoint's path. */
  token: string;
  clientId: string;
  pid: () => number;
  database: string;
}

// --- CPU accounting from /proc -------------------------------------------------------------------
const TICK_MS = 10; // CLK_TCK = 100 on Linux
function procStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}
function treeTicks(rootPid: number): number {
  const all = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync("/proc")) if (/^\d+$/.test(d)) {
    const s = procStat(Number(d));
    if (s) all.set(Number(d), s);
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += all.get(pid)?.ticks ?? 0;
    for (const [child, s] of all) if (s.ppid === pid) stack.push(child);
  }
  return total;
}
async function backendTicks(admin: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1", [database]);
  return new Map(rows.map((r) => [r.pid, procStat(r.pid)?.ticks ?? 0]));
}
const delta = (a: Map<number, number>, b: Map<number, number>) =>
  [...b].reduce((sum, [pid, t]) => sum + t - (a.get(pid) ?? 0), 0);

// --- load ----------------------------------------------------------------------------------------
async function run(side: Side, tokens: string[], connections: number, admin: pg.Client) {
  const lat: number[] = [];
  let errors = 0;
  const app0 = treeTicks(side.pid());
  const db0 = await backendTicks(admin, side.database);
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, i) => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await fetch(`${side.url}${side.token}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens[i]!, client_id: side.clientId }),
        });
        const body = (await res.json()) as { refresh_token?: string; access_token?: string };
        if (!res.ok || !body.refresh_token || !body.access_token) {
          errors++;
          if (errors === 1) console.error(`${side.name}: ${res.status} ${JSON.stringify(body)}`);
          if (errors > 20) throw new Error(`${side.name} keeps failing`);
          continue;
        }
        tokens[i] = body.refresh_token;
        lat.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const db1 = await backendTicks(admin, side.database);
  const app1 = treeTicks(side.pid());
  const n = Math.max(1, lat.length);
  return {
    rps: lat.length / seconds,
    p50: percentile(lat, 50),
    errors,
    appCpu: ((app1 - app0) * TICK_MS) / n,
    dbCpu: (delta(db0, db1) * TICK_MS) / n,
  };
}

async function startPeer(port: number) {
  const database = await createServerDatabase(process.env.DATABASE_URL!, "gh_bench_peer");
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "bench/peers/oidc-provider-server.mjs")], {
    env: { ...process.env, PEER_PORT: String(port), PEER_DATABASE_URL: database.url, PEER_POOL_MAX: "10" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 60; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, child, database, stop: async () => { child.kill("SIGTERM"); await new Promise((r) => setTimeout(r, 500)); await database.drop(); } };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, med: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};
const f2 = (x: number) => x.toFixed(2);

async function main() {
  const maxC = Math.max(...LEVELS);
  // The limits stay on (every request is still counted) with ceilings the load cannot reach:
  // oidc-provider counts nothing.
  const gh = await startServer(
    Number(process.env.BENCH_PORT ?? 3195),
    (db) => prepareOAuthLoadFixture(db, { perSet: maxC, spreadOrgs: 10 }),
    { OAUTH_TOKEN_PER_IP_PER_MINUTE: "10000000", OAUTH_TOKEN_PER_CLIENT_PER_MINUTE: "10000000" },
  );
  const peer = await startPeer(Number(process.env.BENCH_PEER_PORT ?? 3196));
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    const ghDb = new URL(gh.databaseUrl!).pathname.slice(1);
    const peerDb = new URL(peer.database.url).pathname.slice(1);
    const peerTokens = (await (await fetch(`${peer.url}/bench/seed?n=${maxC}`)).json()) as string[];
    const peerSpread = (await (await fetch(`${peer.url}/bench/seed?n=${maxC}`)).json()) as string[];
    const G: Side = { name: "Gatehouse", url: gh.url, token: "/oauth/token", clientId: gh.fixture.clientId, pid: gh.pid, database: ghDb };
    const P: Side = { name: "oidc-provider", url: peer.url, token: "/token", clientId: "bench", pid: () => peer.child.pid!, database: peerDb };
    // Warm-up: JIT, prepared statements, pools at full size.
    await run(G, gh.fixture.oneOrg, 10, admin);
    await run(P, peerTokens, 10, admin);
    const variants = [
      ...LEVELS.map((c) => ({ label: `${c} conn, 1 org`, c, g: gh.fixture.oneOrg, p: peerTokens })),
      { label: `${maxC} conn, 10 orgs`, c: maxC, g: gh.fixture.spread, p: peerSpread },
    ];
    const results = new Map<string, { ratio: number[]; p50: number[]; g: Awaited<ReturnType<typeof run>>[]; p: Awaited<ReturnType<typeof run>>[] }>();
    console.log(`database: PostgreSQL (${SECONDS} s per series, ${ROUNDS} rounds, interleaved)`);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const v of variants) {
        const g = await run(G, v.g, v.c, admin);
        const p = await run(P, v.p, v.c, admin);
        const r = results.get(v.label) ?? { ratio: [], p50: [], g: [], p: [] };
        r.ratio.push(g.rps / p.rps);
        r.p50.push(g.p50 / p.p50);
        r.g.push(g);
        r.p.push(p);
        results.set(v.label, r);
        console.log(
          `round ${round} ${v.label.padEnd(17)} Gatehouse ${g.rps.toFixed(0).padStart(5)} req/s p50 ${g.p50.toFixed(2)} ms cpu ${f2(g.appCpu)}+${f2(g.dbCpu)} ms/req` +
            ` | oidc-provider ${p.rps.toFixed(0).padStart(5)} req/s p50 ${p.p50.toFixed(2)} ms cpu ${f2(p.appCpu)}+${f2(p.dbCpu)} ms/req` +
            ` | ratio ${f2(g.rps / p.rps)}×${g.errors + p.errors ? `  errors ${g.errors}/${p.errors}` : ""}`,
        );
      }
    }
    console.log("\nGatehouse ÷ oidc-provider, min/median/max over the rounds (cpu = app + database ms per request, medians)");
    for (const [label, r] of results) {
      const t = spread(r.ratio);
      const l = spread(r.p50);
      const gc = stats(r.g.map((x) => x.appCpu + x.dbCpu)).med;
      const pc = stats(r.p.map((x) => x.appCpu + x.dbCpu)).med;
      console.log(`${label.padEnd(17)} throughput ${t.text}×  p50 ${l.text}×  cpu/req ${f2(gc)} vs ${f2(pc)} ms`);
      verdict(
        `token refresh throughput ÷ oidc-provider, ${label}`,
        `≥ ${GOAL}×`,
        `${t.text}× (min/median/max; p50 ${l.text}×; cpu ${f2(gc)} vs ${f2(pc)} ms/req)`,
        t.med >= GOAL,
      );
    }
  } finally {
    await admin.end();
    await gh.stop();
    await peer.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

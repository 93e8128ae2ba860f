// npm run bench:audit — the audit explorer at scale. On the PostgreSQL of DATABASE_URL (a fresh
// gh_bench_* database, dropped afterwards) or, without it, in-memory PGlite. Seeds BENCH_AUDIT_ROWS
// events with SQL (default 1,000,000 on a server, 200,000 on PGlite; 10,000,000 is the issue's
// target: BENCH_AUDIT_ROWS=10000000), then prints, per filter: API p95 vs the bare indexed query
// (first page and a deep page), export throughput vs COPY, and recordAudit vs a plain insert.
// First, chain verification: BENCH_AUDIT_VERIFY_ROWS events (default 1M on a server) in real hash
// chains verified with their checkpoints (goal < 60 s per 1M); BENCH_AUDIT_ONLY=verify stops there.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import { auditEvents, orgs } from "@/drizzle/schema";
import { encodeCursor } from "@/lib/audit/cursor";
import { exportAuditEvents } from "@/lib/audit/export";
import { searchAuditEvents } from "@/lib/audit/query";
import { recordAudit } from "@/lib/audit/record";
import { parseAuditQuery } from "@/lib/audit/request";
import { resolveFilter } from "@/lib/audit/resolve-filter";
import { type Database, openDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedDemo } from "@/lib/seed/demo";
import { createServerDatabase } from "@/test/server-database";
import { createBenchOrgs, seedBenchEvents } from "./_audit-seed";
import { benchVerify } from "./_audit-verify";

const SERVER = process.env.DATABASE_URL;
const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? (SERVER ? 1_000_000 : 200_000));
const ORGS = Number(process.env.BENCH_AUDIT_ORGS ?? 200);
const RUNS = Number(process.env.BENCH_AUDIT_RUNS ?? 25);
const DEEP = Number(process.env.BENCH_AUDIT_DEEP ?? 20_000);
const PORT = Number(process.env.BENCH_AUDIT_PORT ?? 3196);
const VERIFY_ROWS = Number(process.env.BENCH_AUDIT_VERIFY_ROWS ?? (SERVER ? 1_000_000 : 200_000));
const root = path.resolve(__dirname, "..");

type Rows = Record<string, unknown>[];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return p95(xs);
}

interface Case {
  name: string;
  /** Explorer query string (what the API gets). */
  qs: string;
  /** The same filter as bare SQL conditions. */
  where: string;
  support?: boolean;
}

async function main() {
  const t0 = performance.now();
  let database: Database;
  let drop = async () => {};
  let url: string | undefined;
  if (SERVER) {
    const created = await createServerDatabase(SERVER, "gh_bench");
    url = created.url;
    drop = created.drop;
    database = openDatabase({ url, poolMax: 4, statementTimeoutMs: 600_000 });
  } else {
    database = openDatabase({ dataDir: "memory" });
  }
  const { db } = database;
  const raw = async (q: string): Promise<Rows> => ((await db.execute(sql.raw(q))) as unknown as { rows: Rows }).rows;
  let server: ChildProcess | null = null;
  try {
    console.log(`audit bench on ${SERVER ? "PostgreSQL (fresh gh_bench_* database)" : "PGlite (in memory)"}: ${ROWS.toLocaleString()} events, ${ORGS + 1} orgs`);
    await migrateDatabase(database);
    await db.execute(sql`select audit_ensure_partitions(13, 3)`);
    await seedDemo(db);
    const [xcorp] = await db.select().from(orgs).where(eq(orgs.slug, "xcorp"));
    await benchVerify(database, VERIFY_ROWS);
    if (process.env.BENCH_AUDIT_ONLY === "verify") return;
    await createBenchOrgs(db, ORGS);
    const seedStart = performance.now();
    await seedBenchEvents(db, {
      rows: ROWS,
      orgs: ORGS,
      hotOrgId: xcorp!.id,
      hotShare: 0.3,
      days: 360,
      onProgress: (n) => process.stdout.write(`\r  seeded ${n.toLocaleString()} events`),
    });
    await db.execute(sql`analyze audit_events`);
    console.log(`\n  seed + analyze: ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const X = xcorp!.id;
    const [agent] = await raw(`select client_id, on_behalf_of_user_id from audit_events where org_id = ${lit(X)} and actor_type = 'agent' order by occurred_at desc limit 1`);
    const [user] = await raw(`select actor_id from audit_events where org_id = ${lit(X)} and actor_type = 'user' and actor_id <> 'seed' order by occurred_at desc limit 1`);
    const client = String(agent!.client_id);
    const obo = String(agent!.on_behalf_of_user_id);
    const actor = String(user!.actor_id);
    const org = `org_id = ${lit(X)}`;
    const since = (h: number) => `occurred_at >= now() - interval '${h} hours'`;
    const cases: Case[] = [
      { name: "org, no filter", qs: "", where: org },
      { name: "actor", qs: `actor=${actor}`, where: `${org} and actor_id = ${lit(actor)}` },
      { name: "agent (client)", qs: `client=${client}`, where: `${org} and client_id = ${lit(client)}` },
      { name: "on behalf of", qs: `obo=${obo}`, where: `${org} and on_behalf_of_user_id = ${lit(obo)}` },
      { name: "agent + on behalf of", qs: `client=${client}&obo=${obo}`, where: `${org} and client_id = ${lit(client)} and on_behalf_of_user_id = ${lit(obo)}` },
      { name: "agent + obo + 30 days", qs: `client=${client}&obo=${obo}&range=30d`, where: `${org} and client_id = ${lit(client)} and on_behalf_of_user_id = ${lit(obo)} and ${since(720)}` },
      { name: "action exact", qs: "action=member.invited", where: `${org} and action = 'member.invited'` },
      { name: "action namespace", qs: "action=member.*", where: `${org} and split_part(action, '.', 1) = 'member'` },
      { name: "outcome denied", qs: "outcome=denied", where: `${org} and outcome = 'denied'` },
      { name: "namespace + failure", qs: "action=login.*&outcome=failure", where: `${org} and split_part(action, '.', 1) = 'login' and outcome = 'failure'` },
      { name: "target", qs: "target=doc-17", where: `${org} and target_id = 'doc-17'` },
      { name: "free text", qs: "q=Report 17", where: `${org} and (${["actor_name", "on_behalf_of_name", "target_name", "action", "client_id", "target_id", "actor_id", "request_id", "ip"].map((c) => `${c} ilike '%Report 17%'`).join(" or ")})` },
      { name: "last 24 hours", qs: "range=24h", where: `${org} and ${since(24)}` },
      { name: "all orgs: on behalf of", qs: `obo=${obo}`, where: `on_behalf_of_user_id = ${lit(obo)}`, support: true },
    ];

    // The API layer in process: parse the query string, resolve the filter, query, serialize.
    const api = async (c: Case, cursor: string | null) => {
      const u = new URL(`http://bench/?${c.qs}`);
      u.searchParams.set("limit", "50");
      if (cursor) u.searchParams.set("cursor", cursor);
      const { params, page } = parseAuditQuery(u);
      const filter = await resolveFilter(params, c.support ? { allOrgs: true } : X, db);
      return JSON.stringify(await searchAuditEvents(filter, page, db)).length;
    };
    // On a server, also end to end over HTTP against `next start` (session, authorization, Next.js).
    let http: ((c: Case, cursor: string | null) => Promise<number>) | null = null;
    let exportApi: (qs: string) => Promise<{ rows: number; bytes: number }> = async () => ({ rows: 0, bytes: 0 });
    let apiLabel = "";
    if (SERVER && url) {
      const started = await startServer(url);
      server = started.child;
      const tenant = await signIn(started.base, "admin@xcorp.example");
      const support = await signIn(started.base, "support@gatehouse.example");
      const grant = await fetch(`${started.base}/api/audit/access`, {
        method: "POST",
        headers: { cookie: support, "content-type": "application/json", origin: started.base },
        body: JSON.stringify({ reason: "BENCH-1 benchmark" }),
      });
      const { token } = (await grant.json()) as { token: string };
      http = async (c, cursor) => {
        const qs = new URLSearchParams(c.qs);
        qs.set("limit", "50");
        if (cursor) qs.set("cursor", cursor);
        const res = await fetch(`${started.base}${c.support ? "/api/audit" : "/api/orgs/xcorp/audit"}?${qs}`, {
          headers: c.support ? { cookie: support, "x-audit-access": token } : { cookie: tenant },
        });
        if (!res.ok) throw new Error(`${c.name}: HTTP ${res.status} ${await res.text()}`);
        return ((await res.json()) as { events: unknown[] }).events.length;
      };
      exportApi = async (qs) => {
        const res = await fetch(`${started.base}/api/orgs/xcorp/audit/export?format=csv&${qs}`, { method: "POST", headers: { cookie: tenant, origin: started.base } });
        if (!res.ok || !res.body) throw new Error(`export: HTTP ${res.status}`);
        let bytes = 0;
        let rows = -1;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
        }
        return { rows, bytes };
      };
      apiLabel = "export over HTTP (next start, signed-in session)";
    }

    console.log(`\nper filter, p95 of ${RUNS} runs, page of 50. bare: the filter as hand-written SQL; api: the API layer in process`);
    console.log(`(parse, resolve, query, JSON)${http ? "; http: the whole route over HTTP (session, authorization, Next.js)" : ""}. deep: from row ${DEEP}.`);
    const head = ["filter".padEnd(24), "bare".padStart(9), "api".padStart(9), "×".padStart(6)];
    if (http) head.push("http".padStart(9), "×".padStart(6));
    head.push(" | deep bare".padStart(12), "api".padStart(9), "×".padStart(6));
    if (http) head.push("http".padStart(9), "×".padStart(6));
    console.log(head.join(""));
    const ratios: number[] = [];
    const httpRatios: number[] = [];
    const plans: string[] = [];
    const order = "order by occurred_at desc, id desc limit 50";
    const measure = async (c: Case, where: string, cursor: string | null) => {
      const bare = await time(() => raw(`select * from audit_events where ${where} ${order}`));
      const viaApi = await time(() => api(c, cursor));
      ratios.push(viaApi / bare);
      const cells = [fmt(bare).padStart(9), fmt(viaApi).padStart(9), `${(viaApi / bare).toFixed(2)}`.padStart(6)];
      if (http) {
        const viaHttp = await time(() => http!(c, cursor));
        httpRatios.push(viaHttp / bare);
        cells.push(fmt(viaHttp).padStart(9), `${(viaHttp / bare).toFixed(2)}`.padStart(6));
      }
      return cells;
    };
    for (const c of cases) {
      const first = await measure(c, c.where, null);
      plans.push(`${c.name.padEnd(24)} ${await planSummary(raw, `select * from audit_events where ${c.where} ${order}`)}`);
      // A position deep in the results (found with OFFSET here only, to pick a cursor).
      const [pos] = await raw(
        `select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts, id from audit_events where ${c.where} order by occurred_at desc, id desc offset ${DEEP} limit 1`,
      );
      let deep = [" | (fewer rows)".padStart(12)];
      if (pos) {
        const ts = String(pos.ts);
        const id = String(pos.id);
        const keyset = `occurred_at <= ${lit(ts)}::timestamptz and (occurred_at < ${lit(ts)}::timestamptz or id < ${lit(id)}::uuid)`;
        deep = [" |".padStart(3), ...(await measure(c, `${c.where} and ${keyset}`, encodeCursor({ ts, id })))];
        deep[1] = deep[1]!.padStart(9);
      }
      console.log([c.name.padEnd(24), ...first, ...deep].join(""));
    }
    console.log("\nplans of the bare first-page queries (top nodes, whether any Sort, indexes scanned):");
    for (const p of plans) console.log(`  ${p}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`api/bare: worst ${Math.max(...ratios).toFixed(2)}×, median ${median(ratios).toFixed(2)}× (goal ≤ 3×)`);
    if (httpRatios.length) console.log(`http/bare: worst ${Math.max(...httpRatios).toFixed(2)}×, median ${median(httpRatios).toFixed(2)}×`);

    // Export throughput: every XCorp event of the last 90 days; each figure is the median of 3 runs.
    const exportFrom = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const exportQs = `range=custom&from=${encodeURIComponent(exportFrom)}`;
    const exportWhere = `org_id = ${lit(X)} and occurred_at >= ${lit(exportFrom)}::timestamptz`;
    const rate = async (fn: () => Promise<number>) => {
      const runs: { rows: number; perSec: number }[] = [];
      for (let i = 0; i < 3; i++) {
        const s0 = performance.now();
        const rows = await fn();
        runs.push({ rows, perSec: rows / ((performance.now() - s0) / 1000) });
      }
      return runs.sort((a, b) => a.perSec - b.perSec)[1]!;
    };
    const inProcess = await rate(async () => {
      const stream = exportAuditEvents({ orgId: X, from: new Date(exportFrom) }, "csv", { database });
      let rows = -1;
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
      }
      return rows;
    });
    const overHttp = SERVER ? await rate(async () => (await exportApi(exportQs)).rows) : null;
    const baseline = SERVER && url
      ? { label: "psql COPY (select …) TO STDOUT (CSV)", ...(await rate(async () => (await psqlCopy(url, `copy (select * from audit_events where ${exportWhere} order by occurred_at desc, id desc) to stdout with csv header`)) - 1)) }
      : { label: "one bare SELECT of the same rows (no psql for PGlite)", ...(await rate(async () => (await raw(`select * from audit_events where ${exportWhere} order by occurred_at desc, id desc`)).length)) };
    const r = (x: { perSec: number }) => `${Math.round(x.perSec).toLocaleString()} rows/s`;
    console.log(`\nexport of ${inProcess.rows.toLocaleString()} rows as CSV:`);
    console.log(`  ${baseline.label}: ${r(baseline)}`);
    console.log(`  exportAuditEvents in process: ${r(inProcess)} — ${(inProcess.perSec / baseline.perSec).toFixed(2)}× (goal ≥ 0.8×)`);
    if (overHttp) console.log(`  ${apiLabel}: ${r(overHttp)} — ${(overHttp.perSec / baseline.perSec).toFixed(2)}×`);

    // Insert cost: one audit event (event + queue row, in its transaction; linked later by the sequencer) vs a plain insert.
    const N = Number(process.env.BENCH_AUDIT_INSERTS ?? 300);
    const [bench0] = await db.select().from(orgs).where(eq(orgs.slug, "bench-0"));
    const audited = await time(() => db.transaction((tx) => recordAudit(tx, { orgId: bench0!.id, actor: { type: "user", id: "bench", name: "Bench" }, action: "member.invited", target: { type: "user", id: "t" }, metadata: { n: 1 } })), N);
    const plain = await time(
      () =>
        db.insert(auditEvents).values({
          id: crypto.randomUUID(),
          occurredAt: new Date(),
          orgId: bench0!.id,
          actorType: "user",
          actorId: "bench",
          actorName: "Bench",
          action: "member.invited",
          targetType: "user",
          targetId: "t",
          outcome: "success",
          metadata: { n: 1 },
        }),
      N,
    );
    console.log(`\ninsert p95 over ${N}: recordAudit in a transaction ${fmt(audited)}, plain single-row insert ${fmt(plain)}: ${(audited / plain).toFixed(2)}×`);
    console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    server?.kill("SIGTERM");
    await database.close();
    await drop();
  }
}

/** The indexes a plan scans, and whether it sorts. */
async function planSummary(raw: (q: string) => Promise<Rows>, query: string): Promise<string> {
  const [row] = await raw(`explain (format json) ${query}`);
  const plan = (row!["QUERY PLAN"] as unknown as { Plan: PlanNode }[])[0]!.Plan;
  const indexes = new Set<string>();
  let sorts = false;
  const walk = (n: PlanNode) => {
    if (n["Node Type"] === "Sort") sorts = true;
    if (n["Index Name"]) indexes.add(n["Index Name"].replace(/^audit_events_\d{4}_\d{2}_/, "…_").replace(/^audit_events_default_/, "…_"));
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan);
  const top = [plan["Node Type"], plan.Plans?.[0]?.["Node Type"]].filter(Boolean).join(" > ");
  return `${top}${sorts ? " (sorts)" : ""}: ${[...indexes].join(", ") || "no index"}`;
}
interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** `next start` on the bench database (needs a build: `npx next build`). */
async function startServer(url: string): Promise<{ child: ChildProcess; base: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gh-bench-"));
  const child = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(PORT)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, SEED_DEMO: "false", AUDIT_MAINTENANCE_INTERVAL_MINUTES: "0", NEXT_TELEMETRY_DISABLED: "1", DB_POOL_MAX: "4" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  child.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, base };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  throw new Error("next start did not come up (run `npx next build` first)");
}

/** Sign in through the login flow like the sign-in page does; returns the cookie header. */
async function signIn(base: string, email: string): Promise<string> {
  const headers = { "content-type": "application/json", origin: base };
  const step = await fetch(`${base}/api/login/password`, { method: "POST", headers, body: JSON.stringify({ email, password: "gatehouse-demo-2026" }) });
  const flow = step.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const done = await fetch(`${base}/api/login/complete`, { method: "POST", redirect: "manual", headers: { ...headers, cookie: flow.join("; ") } });
  const cookies = [...flow, ...done.headers.getSetCookie().map((c) => c.split(";")[0]!)];
  if (!cookies.some((c) => c.includes("session-token"))) throw new Error(`sign-in as ${email} failed (${step.status}, ${done.status})`);
  return cookies.join("; ");
}

/** Run COPY through psql to /dev/null; returns the lines written. */
function psqlCopy(url: string, statement: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url, "-X", "-q", "-c", statement], { stdio: ["ignore", "pipe", "inherit"] });
    let lines = 0;
    child.stdout.on("data", (b: Buffer) => {
      for (const x of b) if (x === 10) lines++;
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(lines) : reject(new Error(`psql exited ${code}`))));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// The verification part of `npm run bench:audit`: VERIFY_ROWS events in real hash chains, seeded in
// SQL, checkpointed, then verified the way `npm run audit:verify` does; goal: 1M events in < 60 s.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { checkpointHeads } from "@/lib/audit/checkpoint-store";
import { getAuditSigner } from "@/lib/audit/signing-key";
import { verifyAllChains } from "@/lib/audit/verify";
import type { Database } from "@/lib/db";
import { createVerifyOrgs, seedChainedEvents } from "./_audit-chain-seed";

const GOAL_SECONDS_PER_MILLION = 60;

/** CPU seconds (utime + stime) of a process from /proc; null when it is not on this machine. */
function cpuSeconds(pid: number): number | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}
const loadAverage = () => {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
};
/** CPU seconds of the server's backends serving the bench database, by pid (only for a server on this machine). */
async function backendCpu(database: Database): Promise<Map<number, number> | null> {
  if (!process.env.DATABASE_URL) return null; // PGlite runs in this process
  const res = (await database.db.execute(sql`select pid from pg_stat_activity where datname = current_database()`)) as unknown as { rows: { pid: number }[] };
  const cpu = new Map<number, number>();
  for (const { pid } of res.rows) {
    const s = cpuSeconds(pid);
    if (s === null) return null;
    cpu.set(pid, s);
  }
  return cpu;
}
// A throw-away signing key (the bench database is dropped afterwards).
process.env.AUDIT_SIGNING_KEY ??= "42".repeat(32);

export async function benchVerify(database: Database, rows: number, chains = Math.max(10, Math.round(rows / 1000))): Promise<void> {
  const perChain = Math.ceil(rows / chains);
  const orgIds = await createVerifyOrgs(database.db, chains);
  let t = performance.now();
  await seedChainedEvents(database.db, { orgIds, perChain });
  console.log(`verify: seeded ${(perChain * chains).toLocaleString()} chained events in ${chains} chains (SQL) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await checkpointHeads(database, { signer: getAuditSigner(), sinks: [] });
  // What `npm run audit:verify` does: every chain, against its checkpoints (the demo orgs' too).
  const runs: number[] = [];
  // CPU per round, steadier than time on a shared machine: this process (the verifier) and the
  // database backends (server on this machine only).
  const nodeCpu: number[] = [];
  const dbCpu: number[] = [];
  for (let round = 0; round < 3; round++) {
    const db0 = await backendCpu(database);
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const result = await verifyAllChains(database.db);
    runs.push((performance.now() - t) / 1000);
    const cpu = process.cpuUsage(cpu0);
    nodeCpu.push((cpu.user + cpu.system) / 1e6);
    const db1 = await backendCpu(database);
    if (db0 && db1) dbCpu.push([...db1].reduce((sum, [pid, s]) => sum + s - (db0.get(pid) ?? 0), 0));
    // Only the chains seeded here are judged: the explorer's bench events are not chained.
    const mine = result.chains.filter((c) => orgIds.includes(c.chainKey));
    const checked = mine.reduce((n, c) => n + c.checked, 0);
    const broken = mine.find((c) => !c.ok);
    if (broken) throw new Error(`bench chains do not verify: ${broken.firstBreak?.message}`);
    if (checked !== perChain * chains) throw new Error(`verified ${checked}, expected ${perChain * chains}`);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const perMillion = (s: number) => (s * 1_000_000) / (perChain * chains);
  const median = sorted[1]!;
  console.log(
    `verify: ${(perChain * chains).toLocaleString()} events: min ${sorted[0]!.toFixed(1)} s, median ${median.toFixed(1)} s, max ${sorted[2]!.toFixed(1)} s` +
      ` → ${perMillion(median).toFixed(1)} s per 1M (${Math.round((perChain * chains) / median).toLocaleString()} events/s);` +
      ` goal < ${GOAL_SECONDS_PER_MILLION} s per 1M: ${perMillion(sorted[2]!) < GOAL_SECONDS_PER_MILLION ? "MET" : "NOT MET"}`,
  );
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `verify: CPU per 1M events (median of rounds): verifier ${perMillion(med(nodeCpu)).toFixed(1)} s` +
      (dbCpu.length ? `, database backends ${perMillion(med(dbCpu)).toFixed(1)} s` : "") +
      `; load average ${loadAverage()}`,
  );
}

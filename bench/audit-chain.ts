// The audit write path under one busy org: 50 concurrent writers, each a transaction with its audit
// event, on the PostgreSQL server (DATABASE_URL; a throw-away database is made there and dropped).
// Series interleaved, in rounds:
//   - "per-org lock": the old path, emulated (bump the chain head row, hash, insert the event and
//     move the head, all under the head's row lock until commit: every writer of the org queues);
//   - "sequencer": recordAudit as it is (event + queue row, no shared lock) with the sequencer
//     running as in the app (woken after each commit, plus the sweep).
// Prints writes/s of each (min/median/max over the rounds), their ratio, and commit → chained
// p50/p99 of the sequencer (observed by a poller every 5 ms); goal p99 ≤ 1 s. Then checks that every
// acknowledged write has exactly one event and one link, and that the chain verifies.
//   DATABASE_URL=postgres://… npm run bench -- audit-chain     (BENCH_CHAIN_SECONDS, BENCH_CHAIN_ROUNDS)
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import { flushAuditChains, startAuditSequencer } from "@/lib/audit/sequencer";
import { verifyChain } from "@/lib/audit/verify";
import { GENESIS_HASH, hashEvent } from "@/lib/audit/verify-core.mjs";
import { type Db, queryRows, setDatabase } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { migrateDatabase } from "@/lib/db/migrate";
import { createServerDatabase } from "../test/server-database";
import { percentile, verdict } from "./lib";

const WRITERS = 50;
const SECONDS = Number(process.env.BENCH_CHAIN_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_CHAIN_ROUNDS ?? 3);
const GOAL_P99_MS = 1000;
process.env.AUDIT_SIGNING_KEY ??= "42".repeat(32);

const event = (i: number) => ({
  actor: { type: "agent" as const, id: `agent-${i % 50}`, name: "Agent" },
  action: "oauth.token_refreshed",
  clientId: `client-${i % 3}`,
  metadata: { i },
});

/** The old write path: the head row locked from the bump to commit, so one org's writers queue. */
async function oldWrite(db: Db, orgId: string, i: number) {
  await db.transaction(async (tx) => {
    const [head] = await queryRows<{ seq: string; prev_hash: string }>(
      tx,
      sql`insert into bench_old_heads (chain_key, last_seq, last_hash) values (${orgId}, 1, ${GENESIS_HASH})
          on conflict (chain_key) do update set last_seq = bench_old_heads.last_seq + 1
          returning last_seq as seq, last_hash as prev_hash`,
    );
    const e = event(i);
    const id = crypto.randomUUID();
    const occurredAt = new Date();
    const hash = hashEvent(head!.prev_hash, {
      id, occurredAt, orgId, chainSeq: Number(head!.seq), actorType: e.actor.type, actorId: e.actor.id, actorName: e.actor.name,
      onBehalfOfUserId: null, onBehalfOfName: null, clientId: e.clientId, grantId: null, action: e.action, targetType: null,
      targetId: null, targetName: null, outcome: "success", ip: null, userAgent: null, requestId: null, metadata: e.metadata,
    });
    await tx.execute(sql`
      with ev as (
        insert into audit_events (id, occurred_at, org_id, actor_type, actor_id, actor_name, client_id, action, outcome, metadata)
        values (${id}, ${occurredAt.toISOString()}::timestamptz, ${orgId}, ${e.actor.type}, ${e.actor.id}, ${e.actor.name}, ${e.clientId},
          ${e.action}, 'success', ${JSON.stringify(e.metadata)}::jsonb)
      )
      update bench_old_heads set last_hash = ${hash} where chain_key = ${orgId}`);
  });
}

async function newWrite(db: Db, orgId: string, i: number, committed: Map<string, number>) {
  const { id } = await db.transaction((tx) => recordAudit(tx, { orgId, ...event(i) }));
  committed.set(id, performance.now());
}

/** 50 writers for `seconds`; returns the writes acknowledged. */
async function load(seconds: number, write: (i: number) => Promise<void>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < end) await write(n++);
    }),
  );
  return n;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
};

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log("audit-chain: skipped, needs DATABASE_URL (a PostgreSQL server): the lock it removes only shows with real concurrency.");
    return;
  }
  const server = await createServerDatabase(url, "gh_bench_chain");
  const database = openDatabase({ url: server.url, poolMax: WRITERS + 5, logIdleErrors: false });
  try {
    setDatabase(database);
    await migrateDatabase(database);
    const { db } = database;
    await db.execute(sql`create table bench_old_heads (chain_key text primary key, last_seq bigint not null, last_hash text not null)`);
    const [oldOrg, newOrg] = await Promise.all(
      ["old", "new"].map(async (slug) => {
        const [r] = await queryRows<{ id: string }>(
          db,
          sql`insert into orgs (slug, name, role_mapping_id) values (${`chain-${slug}`}, ${slug}, (select id from role_mappings order by name limit 1)) returning id`,
        );
        return r!.id;
      }),
    );
    // The app's settings (lib/bootstrap.ts): the same sweep and the same wait before a woken run.
    const env = getEnv();
    const sequencer = startAuditSequencer(database, { sweepMs: env.AUDIT_CHAIN_SWEEP_MS, batchWaitMs: env.AUDIT_CHAIN_BATCH_WAIT_MS });
    const committed = new Map<string, number>();
    const lags: number[] = [];
    // The poller: when each event shows up linked.
    let polling = true;
    let lastSeq = 0;
    const poller = (async () => {
      while (polling) {
        const rows = await queryRows<{ id: string; seq: string }>(
          db,
          sql`select event_id as id, seq from audit_chain_links where chain_key = ${newOrg!} and seq > ${lastSeq} order by seq`,
        );
        const now = performance.now();
        for (const r of rows) {
          const at = committed.get(r.id);
          if (at !== undefined) lags.push(Math.max(0, now - at));
          lastSeq = Number(r.seq);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const rates: Record<"old" | "new", number[]> = { old: [], new: [] };
    let acknowledged = 0;
    // Warm-up (connections, prepared statements), then the rounds, interleaved.
    await load(1, (i) => oldWrite(db, oldOrg!, i));
    await load(1, (i) => newWrite(db, newOrg!, i, new Map())).then((n) => (acknowledged += n)); // not timed
    for (let round = 0; round < ROUNDS; round++) {
      rates.old.push((await load(SECONDS, (i) => oldWrite(db, oldOrg!, i))) / SECONDS);
      const n = await load(SECONDS, (i) => newWrite(db, newOrg!, i, committed));
      acknowledged += n;
      rates.new.push(n / SECONDS);
      console.log(`round ${round + 1}: per-org lock ${Math.round(rates.old.at(-1)!)} writes/s, sequencer ${Math.round(rates.new.at(-1)!)} writes/s`);
    }
    // Let the last events be linked, then stop watching.
    const deadline = performance.now() + 10_000;
    while (lags.length < committed.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    polling = false;
    await poller;
    await sequencer.stop();
    await flushAuditChains(database);

    const o = stats(rates.old);
    const w = stats(rates.new);
    const p50 = percentile(lags, 50);
    const p99 = percentile(lags, 99);
    console.log(`\n${WRITERS} concurrent writers in one org, ${ROUNDS} rounds of ${SECONDS} s each, PostgreSQL server:`);
    console.log(`  per-org lock (old path): writes/s min ${Math.round(o.min)}, median ${Math.round(o.median)}, max ${Math.round(o.max)}`);
    console.log(`  sequencer (recordAudit): writes/s min ${Math.round(w.min)}, median ${Math.round(w.median)}, max ${Math.round(w.max)}`);
    console.log(`  throughput ratio (median) ${(w.median / o.median).toFixed(2)}×`);
    console.log(`  commit → chained over ${lags.length} events: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms; goal p99 ≤ ${GOAL_P99_MS} ms: ${p99 <= GOAL_P99_MS ? "MET" : "NOT MET"}`);
    verdict("audit event commit → chained, p99, 50 writers in one org", `≤ ${GOAL_P99_MS} ms`, `p99 ${p99.toFixed(0)} ms (p50 ${p50.toFixed(0)} ms); ${(w.median / o.median).toFixed(2)}× the per-org lock's writes/s`, p99 <= GOAL_P99_MS);

    // Every acknowledged write: exactly one event and one link; the chain verifies.
    const [counts] = await queryRows<{ events: number; links: number; distinct_links: number }>(
      db,
      sql`select (select count(*)::int from audit_events where org_id = ${newOrg!}) as events,
                 (select count(*)::int from audit_chain_links where chain_key = ${newOrg!}) as links,
                 (select count(distinct event_id)::int from audit_chain_links where chain_key = ${newOrg!}) as distinct_links`,
    );
    const report = await verifyChain(db, newOrg!, { checkpoints: [] });
    const sound = counts!.events === acknowledged && counts!.links === acknowledged && counts!.distinct_links === acknowledged && report.ok;
    console.log(`  acknowledged ${acknowledged}, events ${counts!.events}, links ${counts!.links}, chain ${report.ok ? "verifies" : "BROKEN"}: ${sound ? "ok" : "NOT OK"}`);
    if (!sound) process.exitCode = 1;
  } finally {
    setDatabase(undefined);
    await database.close();
    await server.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

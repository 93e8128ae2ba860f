// The verification part of `npm run bench:audit`: VERIFY_ROWS events in real hash chains, seeded in
// SQL, checkpointed, then verified the way `npm run audit:verify` does; goal: 1M events in < 60 s.
import { performance } from "node:perf_hooks";
import { checkpointHeads } from "@/lib/audit/checkpoint-store";
import { signerFromSeed } from "@/lib/audit/signing-key";
import { verifyChain } from "@/lib/audit/verify";
import type { Database } from "@/lib/db";
import { createVerifyOrgs, seedChainedEvents } from "./_audit-seed";

const GOAL_SECONDS_PER_MILLION = 60;

export async function benchVerify(database: Database, rows: number, chains = Math.max(10, Math.round(rows / 10_000))): Promise<void> {
  const perChain = Math.ceil(rows / chains);
  const orgIds = await createVerifyOrgs(database.db, chains);
  let t = performance.now();
  await seedChainedEvents(database.db, { orgIds, perChain });
  console.log(`verify: seeded ${(perChain * chains).toLocaleString()} chained events in ${chains} chains (SQL) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // The bench signs with a throw-away key, and verifies with it.
  const signer = signerFromSeed("42".repeat(32));
  await checkpointHeads(database, { signer, sinks: [] });
  const runs: number[] = [];
  for (let round = 0; round < 3; round++) {
    t = performance.now();
    let checked = 0;
    for (const orgId of orgIds) {
      const report = await verifyChain(database.db, orgId, { publicKeys: [signer.publicKey] });
      if (!report.ok) throw new Error(`bench chain ${orgId} does not verify: ${report.firstBreak?.message}`);
      checked += report.checked;
    }
    runs.push((performance.now() - t) / 1000);
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
}

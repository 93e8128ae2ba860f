// The verification part of `npm run bench:audit`: VERIFY_ROWS events in real hash chains, seeded in
// SQL, checkpointed, then verified the way `npm run audit:verify` does; goal: 1M events in < 60 s.
import { performance } from "node:perf_hooks";
import { checkpointHeads } from "@/lib/audit/checkpoint-store";
import { getAuditSigner } from "@/lib/audit/signing-key";
import { verifyAllChains } from "@/lib/audit/verify";
import type { Database } from "@/lib/db";
import { createVerifyOrgs, seedChainedEvents } from "./_audit-chain-seed";

const GOAL_SECONDS_PER_MILLION = 60;
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
  for (let round = 0; round < 3; round++) {
    t = performance.now();
    const result = await verifyAllChains(database.db);
    runs.push((performance.now() - t) / 1000);
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
}

// npm run audit:verify: walk every org's audit hash chain and report the first broken link.
import { getDatabase } from "../lib/db";
import { verifyAllChains } from "../lib/audit/verify";

async function main() {
  const database = getDatabase();
  const reports = await verifyAllChains(database.db);
  let broken = 0;
  for (const r of reports) {
    if (r.ok) console.log(`ok      ${r.chainKey}  ${r.checked} events`);
    else {
      broken++;
      console.log(`BROKEN  ${r.chainKey}  at event ${r.firstBreak!.seq}: ${r.firstBreak!.message}`);
    }
  }
  console.log(`${reports.length} chains, ${broken} broken`);
  await database.close();
  process.exit(broken ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});

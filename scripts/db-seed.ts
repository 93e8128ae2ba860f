// npm run db:seed: migrate, then seed the demo tenants if the database has no orgs yet.
import { flushAuditChains } from "../lib/audit/sequencer";
import { getDatabase } from "../lib/db";
import { migrateDatabase } from "../lib/db/migrate";
import { DEMO_PASSWORD, demoLogins, seedDemo } from "../lib/seed/demo";

async function main() {
  const database = getDatabase();
  await migrateDatabase(database);
  const seeded = await seedDemo(database.db);
  await flushAuditChains(database); // link the seeded events into their chains
  console.log(seeded ? "[gatehouse] demo seeded" : "[gatehouse] the database already has orgs; nothing seeded");
  if (seeded) {
    console.log(`Demo logins (password: ${DEMO_PASSWORD}):`);
    for (const l of demoLogins()) console.log(`  ${l.email.padEnd(28)} ${l.role}`);
  }
  await database.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

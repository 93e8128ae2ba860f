// npm run db:migrate: apply pending migrations to DATABASE_URL, or to embedded PGlite in DATA_DIR
// (the app must be stopped: PGlite cannot be shared between processes).
import { getDatabase } from "../lib/db";
import { migrateDatabase } from "../lib/db/migrate";

async function main() {
  const database = getDatabase();
  await migrateDatabase(database);
  console.log(`[gatehouse] migrations applied (${database.kind})`);
  await database.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

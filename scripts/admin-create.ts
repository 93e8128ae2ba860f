// npm run admin:create -- --email you@company.com [--name "Your Name"]
// Create or promote a platform admin and print a single-use link to set the password. Works on a
// PostgreSQL server while the app runs; the embedded database must be stopped first (only one
// process may open a PGlite folder).
import { parseArgs } from "node:util";
import { flushAuditChains } from "../lib/audit/sequencer";
import { getDatabase } from "../lib/db";
import { migrateDatabase } from "../lib/db/migrate";
import { getEnv } from "../lib/env";
import { systemContext } from "../lib/http/request-context";
import { createOrPromoteAdmin } from "../lib/setup";

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
  if (!values.email) {
    console.error("Usage: npm run admin:create -- --email you@company.com [--name \"Your Name\"]");
    return 2;
  }
  const env = getEnv();
  let database;
  try {
    database = getDatabase();
    await migrateDatabase(database);
  } catch (err) {
    if (!env.DATABASE_URL && /in use by process/.test(String((err as Error).message))) {
      console.error(
        `The embedded database in ${env.DATA_DIR} belongs to the running Gatehouse server. ` +
          "Stop the server, run this command again, then start the server (or run Gatehouse on PostgreSQL with DATABASE_URL).",
      );
      return 1;
    }
    throw err;
  }
  try {
    const result = await createOrPromoteAdmin({ email: values.email, name: values.name }, systemContext());
    // Link its audit event now (a running app's sequencer would too; with PGlite none runs).
    await flushAuditChains(database);
    console.log(`${values.email.trim().toLowerCase()} is now a platform admin (${result.created ? "new account" : "existing account promoted"}).`);
    console.log(`Set the password with this single-use link (valid 30 minutes):\n  ${env.APP_URL}/reset-password/${result.token}`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

import "server-only";
import { getEnv } from "@/lib/env";
import { type Database, openDatabase } from "./client";

export type { Database, Db, Executor, Tx } from "./client";
export { afterCommit, preparedArrays, preparedOnce, preparedRows, queryRows, textArrayLiteral } from "./client";

// One database per process, kept on globalThis: Next.js may load this module in several bundles
// (instrumentation, routes), and two PGlite instances on one folder would lose rows.
const KEY = Symbol.for("gatehouse.database");
type Holder = { [KEY]?: Database };

/** The process-wide database, opened on first use from the environment. */
export function getDatabase(): Database {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    const env = getEnv();
    g[KEY] = openDatabase({
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolMax: env.DB_POOL_MAX,
      acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    });
  }
  return g[KEY];
}

/** The drizzle handle of the process-wide database. */
export function getDb() {
  return getDatabase().db;
}

/** Install a database as the process-wide one (tests, scripts). */
export function setDatabase(database: Database | undefined) {
  (globalThis as Holder)[KEY] = database;
}

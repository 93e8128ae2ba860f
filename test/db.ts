import { afterAll, beforeAll } from "vitest";
import { type Database, openDatabase } from "@/lib/db/client";
import { setDatabase } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { backgroundSettled } from "@/lib/login-flow/background";
import { createServerDatabase } from "./server-database";

export interface TestDatabase extends Database {
  /** Where the database lives, for tests that need a second connection. */
  url?: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database: in-memory PGlite by default, or a new database on the server of
 * DATABASE_URL (dropped afterwards), so runs never see each other's rows.
 */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  let database: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (serverUrl) {
    const server = await createServerDatabase(serverUrl, "gh_test");
    url = server.url;
    database = openDatabase({ url, poolMax: 25, logIdleErrors: false });
    drop = server.drop;
  } else {
    database = openDatabase({ dataDir: "memory" });
  }
  if (opts.migrate !== false) await migrateDatabase(database);
  return {
    ...database,
    url,
    async dispose() {
      await database.close();
      await drop();
    },
  };
}

/** Give this test file its own database, installed as the process-wide one. */
export function useTestDatabase(): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    setDatabase(database);
  });
  afterAll(async () => {
    // Work a test started after its answers (sign-in settlements, mails) finishes on this database first.
    await backgroundSettled();
    setDatabase(undefined);
    await database?.dispose();
  });
  return () => {
    if (!database) throw new Error("test database not ready");
    return database;
  };
}

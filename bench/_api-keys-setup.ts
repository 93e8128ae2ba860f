// Set-up for the API key benchmark and the two-node test: the demo seed, a platform API key for the
// product's backend and a personal key of john@xcorp with the given limit.
import { eq } from "drizzle-orm";
import { users } from "@/drizzle/schema";
import { createApiKey } from "@/lib/api-keys";
import { type Database, getDb, setDatabase } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { systemContext } from "@/lib/http/request-context";
import { seedDemo } from "@/lib/seed/demo";
import { createPersonalApiKey } from "@/lib/user-api-keys/create";

export interface ApiKeyFixture {
  platformKey: string;
  userKey: string;
}

export async function prepareApiKeyFixture(database: Database, rateLimitPerMinute: number): Promise<ApiKeyFixture> {
  await migrateDatabase(database);
  setDatabase(database);
  const db = getDb();
  await seedDemo(db);
  const [staff] = await db.select().from(users).where(eq(users.email, "admin@gatehouse.example"));
  const [john] = await db.select().from(users).where(eq(users.email, "john@xcorp.example"));
  const platform = await createApiKey(staff!, { name: "Product backend" }, systemContext());
  const personal = await createPersonalApiKey(john!, { name: "Bench", expiresInDays: 1, mode: "live", rateLimitPerMinute }, systemContext());
  return { platformKey: platform.key, userKey: personal.key };
}

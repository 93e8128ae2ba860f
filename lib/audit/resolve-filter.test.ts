// The explorer's client filter: by id (as it is, no lookup) or by registered name within the org.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { oauthClients, orgs } from "@/drizzle/schema";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { resolveClient } from "./resolve-filter";

const getDb = useTestDatabase();
let xcorp = "";
let cursorId = "";

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  xcorp = (await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, "xcorp")))[0]!.id;
  cursorId = (await db.select({ id: oauthClients.id }).from(oauthClients).where(eq(oauthClients.name, "Cursor")))[0]!.id;
});

describe("resolveClient", () => {
  it("finds a client by its name, case-insensitively, as its id", async () => {
    expect(await resolveClient("cursor", xcorp)).toBe(cursorId);
    expect(await resolveClient(cursorId, xcorp)).toBe(cursorId);
  });

  it("keeps a value that names no client (it then matches nothing, or the agent id it is)", async () => {
    expect(await resolveClient("No such client", xcorp)).toBe("No such client");
  });

  it("takes an id of Gatehouse's shape as it is, without reading the database", async () => {
    const id = "gh_abcdefghijklmnopqrstuvwx";
    const noDb = new Proxy({}, { get: () => { throw new Error("no lookup expected"); } }) as never;
    expect(await resolveClient(id, xcorp, noDb)).toBe(id);
    expect(await resolveClient("ghd_ABCDEFGHIJKLMNOPQRSTUV-_", "all", noDb)).toBe("ghd_ABCDEFGHIJKLMNOPQRSTUV-_");
    await expect(resolveClient("gh_short", xcorp, noDb)).rejects.toThrow("no lookup expected");
  });
});

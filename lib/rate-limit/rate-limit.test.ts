import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { RateLimitedError } from "@/lib/errors";
import { useTestDatabase } from "@/test/db";
import { enforce, hit, peek, reset } from "./index";

const getDb = useTestDatabase();

describe("rate limits in Postgres", () => {
  it("allows max hits per window, then refuses with a retry time", async () => {
    const limit = { max: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) expect((await hit("t:a", limit)).allowed).toBe(true);
    const refused = await hit("t:a", limit);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    await expect(enforce("t:a", limit)).rejects.toBeInstanceOf(RateLimitedError);
    expect((await hit("t:b", limit)).allowed).toBe(true); // keys are independent
  });

  it("counts concurrent hits exactly", async () => {
    const limit = { max: 5, windowSeconds: 60 };
    const results = await Promise.all(Array.from({ length: 20 }, () => hit("t:concurrent", limit)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect((await peek("t:concurrent")).hits).toBe(20);
  });

  it("starts a new window once the old one ends, and can be reset", async () => {
    const limit = { max: 1, windowSeconds: 60 };
    await hit("t:window", limit);
    expect((await hit("t:window", limit)).allowed).toBe(false);
    await getDb().db.execute(sql`update rate_limit_buckets set reset_at = now() - interval '1 second' where key = 't:window'`);
    expect((await hit("t:window", limit)).allowed).toBe(true);
    await reset("t:window");
    expect((await peek("t:window")).hits).toBe(0);
  });
});

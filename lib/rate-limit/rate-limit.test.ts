import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { RateLimitedError } from "@/lib/errors";
import { useTestDatabase } from "@/test/db";
import { enforce, hit, peek, refund, reserveAll, reset } from "./index";

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

  it("reserves several keys at once; 30 concurrent reservations → exactly max allowed per key, refund gives one back", async () => {
    const limit = { max: 4, windowSeconds: 60 };
    const results = await Promise.all(Array.from({ length: 30 }, () => reserveAll([{ key: "m:a", limit }, { key: "m:b", limit: { max: 10, windowSeconds: 60 } }])));
    expect(results.filter((r) => r["m:a"]!.allowed)).toHaveLength(4);
    expect(results.filter((r) => r["m:b"]!.allowed)).toHaveLength(10);
    expect(results.map((r) => r["m:a"]!.hits).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await refund("m:a");
    expect((await peek("m:a")).hits).toBe(29);
  });

  it("grows a new window with the back-off key: 2^floor(hits/per) times longer, capped", async () => {
    for (let i = 0; i < 25; i++) await hit("m:consecutive", { max: 1000, windowSeconds: 3600 });
    const backoff = { fromKey: "m:consecutive", per: 10, maxWindowSeconds: 3000 };
    const grown = await reserveAll([{ key: "m:grown", limit: { max: 5, windowSeconds: 600 }, backoff }]);
    expect(grown["m:grown"]!.retryAfterSeconds).toBeGreaterThan(2300); // 600 s × 2^floor(25/10) = 2400 s
    expect(grown["m:grown"]!.retryAfterSeconds).toBeLessThanOrEqual(2400);
    for (let i = 0; i < 20; i++) await hit("m:consecutive", { max: 1000, windowSeconds: 3600 });
    const capped = await reserveAll([{ key: "m:capped", limit: { max: 5, windowSeconds: 600 }, backoff }]);
    expect(capped["m:capped"]!.retryAfterSeconds).toBeGreaterThan(2900); // 600 s × 2^4, capped at 3000 s
    expect(capped["m:capped"]!.retryAfterSeconds).toBeLessThanOrEqual(3000);
  });
});

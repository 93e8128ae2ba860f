// Leased limits (lease.ts): never looser than one statement per hit, exact near the limit, across
// nodes. PGlite serializes everything: the parallel cases mean most on the PostgreSQL server
// (DATABASE_URL), where CI runs them. Each LimitLeases plays one app node.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { peek } from "./index";
import { LEASE_SHARE, leaseSize, LimitLeases, MAX_LEASE } from "./lease";

const getDb = useTestDatabase();
const tally = (results: { allowed: boolean }[]) => results.filter((r) => r.allowed).length;

describe("leased limits", () => {
  it("takes a block of a window's hits in one statement and hands it out in memory", async () => {
    const node = new LimitLeases();
    const limit = { max: 1000, windowSeconds: 60 };
    expect((await node.hit("l:block", limit)).allowed).toBe(true);
    // The first block of a window: 1/16 of the window.
    expect((await peek("l:block")).hits).toBe(leaseSize(1000));
    expect(leaseSize(1000)).toBe(Math.floor(1000 / LEASE_SHARE));
    for (let i = 1; i < leaseSize(1000); i++) expect((await node.hit("l:block", limit)).allowed).toBe(true);
    expect((await peek("l:block")).hits).toBe(leaseSize(1000)); // no statement for those
    await node.hit("l:block", limit);
    expect((await peek("l:block")).hits).toBe(leaseSize(1000) + leaseSize(1000 - leaseSize(1000)));
    expect(leaseSize(1e9)).toBe(MAX_LEASE);
  });

  it("one node, 50 parallel hits, limit 10: exactly 10 allowed, and the bucket never leased past the limit before refusing", async () => {
    const node = new LimitLeases();
    const results = await Promise.all(Array.from({ length: 50 }, () => node.hit("l:one-node", { max: 10, windowSeconds: 60 })));
    expect(tally(results)).toBe(10);
    const refused = results.filter((r) => !r.allowed);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect(r.retryAfterSeconds).toBeGreaterThan(0);
      expect(r.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // Near the limit every hit is its own statement: 10 admitted + 40 refused, each counted once.
    expect((await peek("l:one-node")).hits).toBe(50);
  });

  it("two nodes, 50 parallel hits each: exactly the limit allowed, small limit or large", async () => {
    for (const max of [10, 70, 700]) {
      const [a, b] = [new LimitLeases(), new LimitLeases()];
      const key = `l:two-nodes:${max}`;
      const limit = { max, windowSeconds: 60 };
      const attempts = Math.max(50, max); // per node: enough for either node to use up what it leased
      const results = await Promise.all(
        Array.from({ length: attempts * 2 }, (_, i) => (i % 2 ? a : b).hit(key, limit)),
      );
      expect(tally(results)).toBe(max);
    }
  });

  it("a node that has not seen the window yet asks for a share of the whole of it, and gets only what is left", async () => {
    const [a, b] = [new LimitLeases(), new LimitLeases()];
    const limit = { max: 160, windowSeconds: 60 };
    for (let i = 0; i < 155; i++) expect((await b.hit("l:late", limit)).allowed).toBe(true);
    expect((await peek("l:late")).hits).toBe(155); // b's blocks shrank to fit
    // a asks for 160/16 = 10 and is granted the 5 left.
    const late = await Promise.all(Array.from({ length: 20 }, () => a.hit("l:late", limit)));
    expect(tally(late)).toBe(5);
    expect((await b.hit("l:late", limit)).allowed).toBe(false);
  });

  it("never refuses from memory: a hit after a refusal asks the database", async () => {
    const node = new LimitLeases();
    const limit = { max: 2, windowSeconds: 60 };
    expect(tally(await Promise.all([node.hit("l:ask", limit), node.hit("l:ask", limit), node.hit("l:ask", limit)]))).toBe(2);
    // The window ends early in the database (as when it is reset): the next hit is allowed at once.
    await getDb().db.execute(sql`update rate_limit_buckets set reset_at = now() - interval '1 second' where key = 'l:ask'`);
    expect((await node.hit("l:ask", limit)).allowed).toBe(true);
    expect((await peek("l:ask")).hits).toBe(1);
  });

  it("drops a block at its window's end: hits leased in one window are not spent in the next", async () => {
    const node = new LimitLeases();
    const limit = { max: 64, windowSeconds: 1 };
    expect((await node.hit("l:window", limit)).allowed).toBe(true); // leases 4, holds 3
    await new Promise((r) => setTimeout(r, 1100));
    expect((await node.hit("l:window", limit)).allowed).toBe(true);
    // A new window, counted afresh in the database: the 3 left over were not used.
    expect((await peek("l:window")).hits).toBe(leaseSize(64));
  });

  it("keeps state for a bounded number of keys: ended windows go first, then new keys are counted hit by hit", async () => {
    const node = new LimitLeases(3);
    const short = { max: 100, windowSeconds: 1 };
    const long = { max: 100, windowSeconds: 60 };
    await node.hit("l:keys:ending", short);
    await node.hit("l:keys:a", long);
    await node.hit("l:keys:b", long);
    expect(node.size).toBe(3);
    await new Promise((r) => setTimeout(r, 1100));
    await node.hit("l:keys:c", long); // l:keys:ending's window is over: dropped to make room
    expect(node.size).toBe(3);
    // Full of live windows: a new key is still counted, exactly, but not remembered.
    expect((await node.hit("l:keys:d", long)).allowed).toBe(true);
    expect(node.size).toBe(3);
    expect((await peek("l:keys:d")).hits).toBe(1);
    expect(tally(await Promise.all(Array.from({ length: 5 }, () => node.hit("l:keys:tiny", { max: 2, windowSeconds: 60 }))))).toBe(2);
  });

  it("a failed lease statement fails its hit, and the next hit tries again", async () => {
    const node = new LimitLeases();
    const lost = () => Promise.reject(new Error("connection lost"));
    const broken = { _: { session: { prepareQuery: () => ({ execute: lost }) } } } as unknown as Parameters<LimitLeases["hit"]>[2];
    const limit = { max: 100, windowSeconds: 60 };
    await expect(node.hit("l:broken", limit, broken)).rejects.toThrow();
    expect((await node.hit("l:broken", limit)).allowed).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { nextEventStamp } from "./event-stamp";

describe("nextEventStamp", () => {
  it("gives RFC 9562 version 7 ids whose byte order is the order they were made, within one millisecond too", () => {
    const now = Date.now() + 10_000; // ahead of anything other tests stamped
    const stamps = Array.from({ length: 500 }, () => nextEventStamp(now));
    for (const s of stamps) expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ids = stamps.map((s) => s.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stamps.every((s) => s.occurredAt.getTime() >= now)).toBe(true);
  });

  it("never goes back in time when the clock does", () => {
    const later = Date.now() + 20_000;
    const a = nextEventStamp(later);
    const b = nextEventStamp(later - 5_000);
    expect(b.occurredAt.getTime()).toBe(a.occurredAt.getTime());
    expect(b.id > a.id).toBe(true);
  });
});

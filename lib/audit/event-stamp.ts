import { randomBytes } from "node:crypto";

// Every event's id and time come from one monotonic source per process: the time never goes back
// (a clock step back repeats the last millisecond) and the id is a UUIDv7 (RFC 9562) whose 12-bit
// counter grows within a millisecond. Events are ordered by (occurred_at, id) — by the explorer's
// pages and by the sequencer — so that order is the order this process recorded them in, even for
// events of the same millisecond, and a page reader never meets a newer event behind its cursor.
// On globalThis: Next.js may load this module in several bundles, and the token lane too.
const KEY = Symbol.for("gatehouse.audit.event-stamp");
interface State {
  ms: number;
  seq: number;
}

export interface EventStamp {
  id: string;
  occurredAt: Date;
}

export function nextEventStamp(now = Date.now()): EventStamp {
  const g = globalThis as { [KEY]?: State };
  const s = (g[KEY] ??= { ms: 0, seq: 0 });
  if (now > s.ms) {
    s.ms = now;
    s.seq = randomBytes(2).readUInt16BE(0) & 0x3ff; // a random start in the low quarter: room to count up
  } else if (s.seq < 0xfff) {
    s.seq++;
  } else {
    s.ms++; // 4096 events in one millisecond: borrow the next one
    s.seq = 0;
  }
  return { id: uuidV7(s.ms, s.seq), occurredAt: new Date(s.ms) };
}

function uuidV7(ms: number, seq: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

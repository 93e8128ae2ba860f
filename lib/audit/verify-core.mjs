// The audit trail's format and its verification, in plain JavaScript with no dependencies beyond
// node:crypto: the server (lib/audit/*.ts) and the standalone verifier (scripts/verify-audit-export.mjs)
// both use this file, so a tenant checks their export with exactly the rules the server writes by.
// The format is documented in the README ("Audit trail format").
import { createHash, createPublicKey, verify as verifySignature } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted (by UTF-16 code units) at every level; undefined members left out. */
export function canonicalJson(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The event fields the hash covers, in canonical (sorted) key order. */
export const HASHED_FIELDS = [
  "action", "actorId", "actorName", "actorType", "chainSeq", "clientId", "grantId", "id", "ip", "metadata", "occurredAt",
  "onBehalfOfName", "onBehalfOfUserId", "orgId", "outcome", "requestId", "targetId", "targetName", "targetType", "userAgent",
];

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** A time as ISO 8601 UTC with milliseconds; strings already in that form pass as they are. */
const isoTime = (t) => (typeof t === "string" && ISO_MS.test(t) ? t : new Date(t).toISOString());
const str = (v) => (v === null || v === undefined ? "null" : JSON.stringify(v));

/**
 * The canonical JSON of an event's hashed fields: exactly canonicalJson({ action, actorId, … })
 * with `occurredAt` as an ISO string (milliseconds, Z) and `chainSeq` a number, written out field by
 * field because it runs for every event verified (tested equal to the generic encoding).
 */
export function canonicalEvent(row) {
  return (
    `{"action":${str(row.action)},"actorId":${str(row.actorId)},"actorName":${str(row.actorName)},"actorType":${str(row.actorType)}` +
    `,"chainSeq":${Number(row.chainSeq)},"clientId":${str(row.clientId)},"grantId":${str(row.grantId)},"id":${str(row.id)}` +
    `,"ip":${str(row.ip)},"metadata":${canonicalJson(row.metadata ?? {})},"occurredAt":"${isoTime(row.occurredAt)}"` +
    `,"onBehalfOfName":${str(row.onBehalfOfName)},"onBehalfOfUserId":${str(row.onBehalfOfUserId)},"orgId":${str(row.orgId)}` +
    `,"outcome":${str(row.outcome)},"requestId":${str(row.requestId)},"targetId":${str(row.targetId)},"targetName":${str(row.targetName)}` +
    `,"targetType":${str(row.targetType)},"userAgent":${str(row.userAgent)}}`
  );
}

/** hash = SHA-256(previous hash, "\n", canonical JSON of the event's fields) in lower-case hex. */
export function hashEvent(prevHash, row) {
  return createHash("sha256").update(`${prevHash}\n${canonicalEvent(row)}`).digest("hex");
}

/** One line of the NDJSON export as the flat event the hash covers. */
export function eventFromExport(e) {
  return {
    id: e.id,
    occurredAt: e.occurredAt,
    orgId: e.orgId,
    // null: not linked yet when exported (the sequencer links events shortly after they commit).
    chainSeq: e.chainSeq === null || e.chainSeq === undefined ? null : Number(e.chainSeq),
    prevHash: e.prevHash ?? null,
    hash: e.hash ?? null,
    actorType: e.actor?.type,
    actorId: e.actor?.id ?? null,
    actorName: e.actor?.name ?? null,
    onBehalfOfUserId: e.onBehalfOf?.userId ?? null,
    onBehalfOfName: e.onBehalfOf?.name ?? null,
    clientId: e.clientId ?? null,
    grantId: e.grantId ?? null,
    action: e.action,
    targetType: e.target ? e.target.type : null,
    targetId: e.target?.id ?? null,
    targetName: e.target?.name ?? null,
    outcome: e.outcome,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    requestId: e.requestId ?? null,
    metadata: e.metadata ?? {},
  };
}

// ─── Checkpoints ────────────────────────────────────────────────────────────────────────────────

const CHECKPOINT_FIELDS = ["v", "kind", "chain", "n", "seq", "hash", "at", "prev", "kid"];

/** The signed part of a checkpoint (everything but `sig`). */
export function checkpointPayload(cp) {
  return Object.fromEntries(CHECKPOINT_FIELDS.map((k) => [k, cp[k]]));
}

/** A checkpoint's id: SHA-256 of its canonical payload; the next checkpoint's `prev` names it. */
export function checkpointId(cp) {
  return sha256(canonicalJson(checkpointPayload(cp)));
}

/** A checkpoint line, or null when it is not one. */
export function parseCheckpoint(line) {
  let cp;
  try {
    cp = typeof line === "string" ? JSON.parse(line) : line;
  } catch {
    return null;
  }
  const ok =
    cp && cp.v === 1 && (cp.kind === "head" || cp.kind === "retention") && typeof cp.chain === "string" &&
    Number.isSafeInteger(cp.n) && cp.n >= 1 && Number.isSafeInteger(cp.seq) && cp.seq >= 0 &&
    /^[0-9a-f]{64}$/.test(cp.hash) && /^[0-9a-f]{64}$/.test(cp.prev) && typeof cp.at === "string" &&
    typeof cp.kid === "string" && typeof cp.sig === "string";
  return ok ? cp : null;
}

/** The key id of an Ed25519 public key (32 raw bytes, base64url): the first 16 hex of its SHA-256. */
export function keyId(publicKeyB64) {
  return createHash("sha256").update(Buffer.from(publicKeyB64, "base64url")).digest("hex").slice(0, 16);
}

/** Public keys by id, from raw base64url Ed25519 keys. */
export function publicKeys(keysB64) {
  const map = new Map();
  for (const x of keysB64) map.set(keyId(x), createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" }));
  return map;
}

/** "ok", "unknown_key" or "bad_signature". */
export function checkSignature(cp, keys) {
  const key = keys.get(cp.kid);
  if (!key) return "unknown_key";
  try {
    const ok = verifySignature(null, Buffer.from(canonicalJson(checkpointPayload(cp))), key, Buffer.from(cp.sig, "base64url"));
    return ok ? "ok" : "bad_signature";
  } catch {
    return "bad_signature";
  }
}

const brk = (reason, seq, lastSeq, message, eventId = null) => ({ reason, seq, lastSeq, eventId, message });
const range = (a, b) => (a === b ? `event ${a}` : `events ${a}–${b}`);

/**
 * Check one chain's checkpoints (any order, duplicates allowed: sinks deliver at least once):
 * signatures, and that they form one unbroken chain of their own. Returns the valid ones in order,
 * the breaks found, and where retention legitimately cut the event chain (the latest signed
 * retention checkpoint), if it did.
 */
export function analyzeCheckpoints(chainKey, checkpoints, keys) {
  const breaks = [];
  const byId = new Map();
  for (const cp of checkpoints) {
    if (cp.chain !== chainKey) continue;
    const verdict = checkSignature(cp, keys);
    if (verdict !== "ok") {
      breaks.push(brk("checkpoint_invalid", cp.seq, cp.seq, `Checkpoint #${cp.n} (${cp.at}) is not signed by a known key (${verdict}): it was forged or replaced.`));
      continue;
    }
    byId.set(checkpointId(cp), cp);
  }
  const valid = [...byId.values()].sort((a, b) => a.n - b.n);
  let prev = null;
  for (const cp of valid) {
    const expectedN = prev ? prev.n + 1 : 1;
    if (prev && cp.n === prev.n) {
      breaks.push(brk("checkpoint_chain_broken", cp.seq, cp.seq, `Two different signed checkpoints #${cp.n}: the checkpoint chain was forked.`));
    } else if (cp.n !== expectedN) {
      breaks.push(brk("checkpoint_chain_broken", prev ? prev.seq : 0, cp.seq, `Checkpoints #${expectedN}–#${cp.n - 1} are missing: they were removed.`));
    } else if (cp.prev !== (prev ? checkpointId(prev) : GENESIS_HASH)) {
      breaks.push(brk("checkpoint_chain_broken", prev ? prev.seq : 0, cp.seq, `Checkpoint #${cp.n} does not follow checkpoint #${cp.n - 1}: one of them was replaced.`));
    }
    prev = cp;
  }
  let start = null;
  for (const cp of valid) if (cp.kind === "retention" && (!start || cp.seq > start.seq)) start = { seq: cp.seq, hash: cp.hash, checkpoint: cp };
  return { valid, breaks, start };
}

/**
 * Walks one chain's events in sequence order and records every break, not only the first: after a
 * break it carries on from the stored hash, so a second tampering cannot hide behind the first.
 */
export class ChainWalker {
  /** start: { seq, hash } of the last event before the first one expected (genesis: 0, zeros). */
  constructor(start = { seq: 0, hash: GENESIS_HASH }, wantSeqs = new Set()) {
    this.expectedSeq = start.seq + 1;
    this.prevHash = start.hash;
    this.firstSeq = this.expectedSeq;
    this.wantSeqs = wantSeqs;
    this.hashAt = new Map();
    this.alteredAt = new Set();
    this.breaks = [];
    this.checked = 0;
    this.last = null;
  }

  /** `intact`: whether the row's hash matches its content, when the caller already knows. */
  push(row, intact = hashEvent(row.prevHash, row) === row.hash) {
    const seq = Number(row.chainSeq);
    if (seq < this.expectedSeq) {
      this.breaks.push(brk("duplicate_seq", seq, seq, `Event ${seq} appears more than once: one was inserted.`, row.id));
      return;
    }
    if (seq > this.expectedSeq) {
      this.breaks.push(brk("rows_missing", this.expectedSeq, seq - 1, `${range(this.expectedSeq, seq - 1)} ${seq - 1 > this.expectedSeq ? "are" : "is"} missing (next present: ${seq}).`));
    } else if (row.prevHash !== this.prevHash) {
      this.breaks.push(brk("link_broken", seq, seq, `Event ${seq} does not link to event ${seq - 1}.`, row.id));
    }
    if (!intact) {
      this.breaks.push(brk("content_altered", seq, seq, `Event ${seq} was altered after it was written.`, row.id));
      this.alteredAt.add(seq);
    }
    if (this.wantSeqs.has(seq)) this.hashAt.set(seq, row.hash);
    this.prevHash = row.hash;
    this.expectedSeq = seq + 1;
    this.last = { seq, hash: row.hash };
    this.checked++;
  }
}

/**
 * Hold the walked chain against its signed head checkpoints and its recorded head: a chain
 * rewritten with recomputed hashes, or a tail cut off with the head moved back, disagrees with
 * what was signed. Returns the breaks and the last checkpoint that still holds.
 */
export function judgeChain({ walker, checkpoints, head }) {
  const breaks = [];
  const heads = checkpoints.filter((cp) => cp.kind === "head" && cp.seq >= walker.firstSeq).sort((a, b) => a.seq - b.seq || a.n - b.n);
  const lastSeq = walker.last?.seq ?? walker.firstSeq - 1;
  let lastHolding = null;
  let mismatch = null; // a run of checkpoints the rows disagree with
  const closeRun = () => {
    if (!mismatch) return;
    const from = (lastHolding && lastHolding.seq < mismatch.first.seq ? lastHolding.seq : walker.firstSeq - 1) + 1;
    const ns = mismatch.first.n === mismatch.last.n ? `#${mismatch.first.n}` : `#${mismatch.first.n}–#${mismatch.last.n}`;
    breaks.push(brk("checkpoint_mismatch", from, mismatch.last.seq, `${range(from, mismatch.last.seq)} differ from what checkpoint ${ns} signed (signed at ${mismatch.last.at}): the chain was rewritten.`));
    mismatch = null;
  };
  let beyond = null;
  for (const cp of heads) {
    if (cp.seq > lastSeq) {
      if (!beyond || cp.seq > beyond.seq) beyond = cp;
      continue;
    }
    const stored = walker.hashAt.get(cp.seq);
    if (stored === undefined) continue; // missing rows: already reported by the walk
    if (stored === cp.hash && !walker.alteredAt.has(cp.seq)) {
      closeRun();
      lastHolding = cp;
    } else if (mismatch) mismatch.last = cp;
    else mismatch = { first: cp, last: cp };
  }
  closeRun();
  if (beyond) {
    breaks.push(brk("tail_truncated", lastSeq + 1, beyond.seq, `${range(lastSeq + 1, beyond.seq)} are gone: checkpoint #${beyond.n} signed at ${beyond.at} says the chain reached event ${beyond.seq}.`));
  }
  if (head && (head.seq !== lastSeq || (walker.last && head.hash !== walker.last.hash))) {
    if (head.seq > lastSeq) {
      breaks.push(brk("tail_missing", lastSeq + 1, head.seq, `The chain ends at event ${lastSeq}, but ${head.seq} were written.`));
    } else {
      breaks.push(brk("head_mismatch", head.seq, lastSeq, `The recorded head (event ${head.seq}) does not match the last event (${lastSeq}).`));
    }
  }
  return { breaks, lastHolding };
}

/** Sort breaks by where they start, then by kind. */
export function sortBreaks(breaks) {
  return breaks.sort((a, b) => a.seq - b.seq || a.reason.localeCompare(b.reason));
}

const holding = (cp) => (cp ? { n: cp.n, seq: cp.seq, at: cp.at } : null);

/** Begin verifying a chain: its checkpoints checked, and a walker starting where they say the chain starts. */
export function startChain(chainKey, checkpoints, keys) {
  const cps = analyzeCheckpoints(chainKey, checkpoints, keys);
  const start = cps.start ?? { seq: 0, hash: GENESIS_HASH };
  return { cps, start, walker: new ChainWalker(start, new Set(cps.valid.map((cp) => cp.seq))) };
}

/** Finish: hold the walked events against the checkpoints and the head (null when unknown), and report. */
export function finishChain(chainKey, { cps, walker }, head) {
  const judged = judgeChain({ walker, checkpoints: cps.valid, head });
  const breaks = sortBreaks([...cps.breaks, ...walker.breaks, ...judged.breaks]);
  return {
    chainKey,
    checked: walker.checked,
    ok: breaks.length === 0,
    breaks,
    firstBreak: breaks[0] ?? null,
    last: walker.last,
    checkpoints: cps.valid.length,
    lastCheckpoint: holding(cps.valid.at(-1)),
    lastHolding: holding(judged.lastHolding),
  };
}

/**
 * Verify one chain held in memory (the offline verifier): its events (any order) against its
 * checkpoints. Without a signed retention checkpoint the chain must start at event 1. Events not
 * linked yet when exported (chainSeq null) are counted in `unlinked`, not verified.
 */
export function verifyEvents(chainKey, events, checkpoints, keys) {
  const chain = startChain(chainKey, checkpoints, keys);
  const linked = events.filter((e) => e.chainSeq !== null && e.chainSeq !== undefined);
  for (const e of linked.sort((a, b) => a.chainSeq - b.chainSeq)) if (e.chainSeq > chain.start.seq) chain.walker.push(e);
  return { ...finishChain(chainKey, chain, null), unlinked: events.length - linked.length };
}

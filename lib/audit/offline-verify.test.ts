import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeAuditOrg, writeAuditEvents } from "@/test/audit";
import { useTestDatabase } from "@/test/db";
import { checkpointLines } from "./checkpoint-list";
import { checkpointHeads } from "./checkpoint-store";
import { exportAuditEvents } from "./export";
import { auditPublicKeyDocument } from "./public-key";
import { getAuditSigner, signerFromSeed } from "./signing-key";
import { canonicalJson, eventFromExport, hashEvent } from "./verify-core.mjs";

const getDb = useTestDatabase();
const SCRIPT = path.resolve("scripts/verify-audit-export.mjs");
const dir = mkdtempSync(path.join(os.tmpdir(), "gh-offline-"));

type Line = Record<string, unknown> & { chainSeq: number; hash: string; prevHash: string };
let events: Line[] = [];
let checkpoints: string[] = [];

/** Run the standalone verifier on files written from these events and checkpoints: what a tenant does. */
function verify(ev: Line[], cps: string[], key: unknown = auditPublicKeyDocument()) {
  const name = Math.random().toString(36).slice(2);
  const files = { events: path.join(dir, `${name}.ndjson`), cps: path.join(dir, `${name}.jsonl`), key: path.join(dir, `${name}.key.json`) };
  writeFileSync(files.events, ev.map((e) => JSON.stringify(e)).join("\n") + "\n");
  writeFileSync(files.cps, cps.join("\n") + "\n");
  writeFileSync(files.key, JSON.stringify(key));
  try {
    const out = execFileSync("node", [SCRIPT, "--events", files.events, "--checkpoints", files.cps, "--key", files.key, "--json"], { encoding: "utf8" });
    return { code: 0, ...JSON.parse(out) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, ...JSON.parse(e.stdout) };
  }
}
const breaksOf = (r: { chains: { breaks: { reason: string; seq: number; lastSeq: number }[] }[] }) =>
  r.chains.flatMap((c) => c.breaks.map((b) => [b.reason, b.seq, b.lastSeq]));

beforeAll(async () => {
  const { db } = getDb();
  const org = await makeAuditOrg(db, "offline");
  await writeAuditEvents(db, org.id, 4);
  await checkpointHeads(getDb(), { signer: getAuditSigner(), sinks: [] });
  await writeAuditEvents(db, org.id, 4);
  await checkpointHeads(getDb(), { signer: getAuditSigner(), sinks: [] });
  const text = await new Response(exportAuditEvents({ orgId: org.id }, "ndjson")).text();
  events = text.trim().split("\n").map((l) => JSON.parse(l));
  checkpoints = await checkpointLines(org.id);
});

describe("the standalone verifier (no database, no network)", () => {
  it("passes an untouched export with its checkpoints", () => {
    expect(events).toHaveLength(8);
    const r = verify(events, checkpoints);
    expect(r.code).toBe(0);
    expect(r.chains[0]).toMatchObject({ ok: true, checked: 8, checkpoints: 2, lastHolding: { n: 2, seq: 8 } });
  });

  it("counts events exported before they were linked, and verifies the rest", () => {
    const pending = { ...events[0]!, id: "00000000-0000-4000-8000-000000000001", chainSeq: null, hash: null, prevHash: null } as unknown as Line;
    const r = verify([pending, ...events], checkpoints);
    expect(r.code).toBe(0);
    expect(r.chains[0]).toMatchObject({ ok: true, checked: 8, unlinked: 1 });
  });

  it("fails an edited event", () => {
    const edited = events.map((e) => (e.chainSeq === 3 ? { ...e, actor: { type: "user", id: "u1", name: "Mallory" } } : e));
    const r = verify(edited, checkpoints);
    expect(r.code).toBe(1);
    expect(breaksOf(r)).toEqual([["content_altered", 3, 3]]);
  });

  it("fails a removed event and a cut-off tail", () => {
    expect(breaksOf(verify(events.filter((e) => e.chainSeq !== 2), checkpoints))).toEqual([["rows_missing", 2, 2]]);
    const r = verify(events.filter((e) => e.chainSeq <= 5), checkpoints);
    expect(breaksOf(r)).toEqual([["tail_truncated", 6, 8]]);
    expect(r.chains[0].lastHolding).toMatchObject({ n: 1, seq: 4 });
  });

  it("fails an export rewritten with recomputed hashes", () => {
    let prev = "0".repeat(64);
    const rewritten = [...events]
      .sort((a, b) => a.chainSeq - b.chainSeq)
      .map((e) => {
        const line = { ...e, actor: { type: "user", id: "u1", name: "Mallory" }, prevHash: prev };
        line.hash = hashEvent(prev, { ...eventFromExport(line), chainSeq: e.chainSeq });
        prev = line.hash;
        return line;
      });
    expect(breaksOf(verify(rewritten, []))).toEqual([]); // alone, a perfect chain
    expect(breaksOf(verify(rewritten, checkpoints))).toEqual([["checkpoint_mismatch", 1, 8]]);
  });

  it("fails a replaced checkpoint, a removed one, and a key it does not know", () => {
    const [first, second] = checkpoints.map((l) => JSON.parse(l));
    const replaced = canonicalJson({ ...second, seq: 7 });
    expect(breaksOf(verify(events, [checkpoints[0]!, replaced]))).toEqual(expect.arrayContaining([["checkpoint_invalid", 7, 7]]));
    const other = signerFromSeed("cd".repeat(32));
    const payload = { ...first, n: 2, kid: other.kid, sig: undefined };
    const foreign = canonicalJson({ ...payload, sig: other.sign(canonicalJson(payload)) });
    expect(breaksOf(verify(events, [checkpoints[0]!, foreign]))).toEqual([["checkpoint_invalid", 4, 4]]);
    expect(breaksOf(verify(events, [checkpoints[1]!]))).toEqual([["checkpoint_chain_broken", 0, 8]]);
    const wrongKey = verify(events, checkpoints, { publicKey: other.publicKey });
    expect(wrongKey.code).toBe(1);
    expect(breaksOf(wrongKey).every(([reason]) => reason === "checkpoint_invalid")).toBe(true);
  });
});

#!/usr/bin/env node
// Verify a Gatehouse audit export offline: no database, no network, plain Node (18+).
//
//   node scripts/verify-audit-export.mjs --events audit-xcorp.ndjson \
//     --checkpoints audit-checkpoints-xcorp.jsonl [--checkpoints older.jsonl …] --key gatehouse-audit-key.json [--json]
//
// --events       the org's NDJSON export (unfiltered: the whole trail)
// --checkpoints  signed checkpoint files: downloaded from the console, or the operator's sink files;
//                pass every one you ever kept: each is evidence (download them before the export)
// --key          the public key: the JSON of /.well-known/gatehouse-audit-key, or its base64url `publicKey`;
//                pin the one you fetched first rather than trusting a new one (repeat for rotated keys)
// Exit code: 0 intact, 1 broken, 2 bad usage. The format is documented in the README.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { eventFromExport, parseCheckpoint, publicKeys, verifyEvents } from "../lib/audit/verify-core.mjs";

function fail(message) {
  console.error(message);
  process.exit(2);
}

function readKey(arg) {
  if (existsSync(arg)) {
    const doc = JSON.parse(readFileSync(arg, "utf8"));
    return doc.publicKey ?? doc.jwk?.x ?? doc.x;
  }
  return arg;
}

function nonEmptyLines(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line, i) => ({ line, where: `${file}:${i + 1}` }))
    .filter((l) => l.line.trim());
}

function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        events: { type: "string" },
        checkpoints: { type: "string", multiple: true },
        key: { type: "string", multiple: true },
        json: { type: "boolean" },
      },
    }));
  } catch (err) {
    fail(err.message);
  }
  if (!values.events || !values.key?.length) fail("usage: verify-audit-export.mjs --events FILE --checkpoints FILE… --key FILE|KEY [--json]");
  const keys = publicKeys(values.key.map(readKey));

  const byChain = new Map();
  for (const { line, where } of nonEmptyLines(values.events)) {
    let event;
    try {
      event = eventFromExport(JSON.parse(line));
    } catch {
      fail(`${where}: not an event of the NDJSON export`);
    }
    const chain = event.orgId ?? "platform";
    byChain.set(chain, [...(byChain.get(chain) ?? []), event]);
  }
  const checkpoints = [];
  const unreadable = [];
  for (const file of values.checkpoints ?? []) {
    for (const { line, where } of nonEmptyLines(file)) {
      const cp = parseCheckpoint(line);
      if (cp) checkpoints.push(cp);
      else unreadable.push(where);
    }
  }
  for (const cp of checkpoints) if (!byChain.has(cp.chain)) byChain.set(cp.chain, []);

  const chains = [...byChain].map(([chain, events]) => verifyEvents(chain, events, checkpoints, keys));
  const covered = (r) => (r.lastHolding ? r.lastHolding.seq : 0);
  const ok = unreadable.length === 0 && chains.every((r) => r.ok);
  if (values.json) {
    console.log(JSON.stringify({ ok, chains, unreadable }, null, 2));
  } else {
    for (const r of chains) {
      const last = r.last ? r.last.seq : "none";
      console.log(`${r.ok ? "ok    " : "BROKEN"}  ${r.chainKey}  ${r.checked} events (last ${last}), ${r.checkpoints} signed checkpoints`);
      for (const b of r.breaks) console.log(`        ${b.reason.padEnd(24)} events ${b.seq}–${b.lastSeq}: ${b.message}`);
      const h = r.lastHolding;
      console.log(`        last checkpoint that holds: ${h ? `#${h.n} (event ${h.seq}, signed ${h.at})` : "none"}`);
      if (r.unlinked) console.log(`        ${r.unlinked} event${r.unlinked === 1 ? " was" : "s were"} not linked into the chain yet when exported: export again to verify ${r.unlinked === 1 ? "it" : "them"}`);
      if (r.ok && r.last && covered(r) < r.last.seq) console.log(`        events ${covered(r) + 1}–${r.last.seq} are newer than the last checkpoint: not yet covered by a signature`);
    }
    for (const u of unreadable) console.log(`BROKEN  ${u} is not a checkpoint`);
    console.log(ok ? "verified" : "NOT verified");
  }
  process.exitCode = ok ? 0 : 1;
}

main();

import type { AuditVerification, ChainReport } from "./verify";

const at = (h: { n: number; seq: number; at: string } | null) => (h ? `checkpoint #${h.n} (event ${h.seq}, signed ${h.at})` : "none");

function chainLines(r: ChainReport): string[] {
  const head = r.head ? `head ${r.head.seq}` : "no head";
  if (r.ok) return [`ok      ${r.chainKey}  ${r.checked} events, ${head}, last checkpoint ${at(r.lastCheckpoint)}`];
  return [
    `BROKEN  ${r.chainKey}  ${r.checked} events, ${head}, ${r.breaks.length} break${r.breaks.length === 1 ? "" : "s"}`,
    ...r.breaks.map((b) => `        ${b.reason.padEnd(24)} events ${b.seq}–${b.lastSeq}: ${b.message}`),
    `        last checkpoint that holds: ${at(r.lastHolding)}`,
  ];
}

/** The text report of `npm run audit:verify`. */
export function formatVerification(v: AuditVerification): string {
  const broken = v.chains.filter((c) => !c.ok).length;
  const lines = v.chains.flatMap(chainLines);
  for (const u of v.unreadable) lines.push(`BROKEN  checkpoint file line ${u} is not a checkpoint: the file was tampered with`);
  lines.push(`${v.chains.length} chains, ${broken} broken${v.unreadable.length ? `, ${v.unreadable.length} unreadable checkpoint lines` : ""}`);
  return lines.join("\n");
}

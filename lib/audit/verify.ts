import "server-only";
import { eq } from "drizzle-orm";
import { auditChainHeads, orgs } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";
import { loadCheckpoints } from "./checkpoint-load";
import { PLATFORM_CHAIN } from "./record";
import { getAuditSigner } from "./signing-key";
import { checkedBatch, VERIFY_BATCH } from "./verify-batch";
import { type ChainVerdict, finishChain, publicKeys, type SignedCheckpoint, startChain } from "./verify-core.mjs";

export type { ChainBreak } from "./verify-core.mjs";

export interface ChainReport extends ChainVerdict {
  head: { seq: number; hash: string } | null;
}

export interface VerifyOptions {
  /** Sink directory to read checkpoints from, besides the database; null: the database only. */
  checkpointDir?: string | null;
  /** Extra public keys (base64url) that checkpoints may be signed with, e.g. before a rotation. */
  publicKeys?: string[];
  /** Checkpoints already loaded (verifyAllChains loads them once). */
  checkpoints?: SignedCheckpoint[];
}

function keys(opts: VerifyOptions) {
  return publicKeys([getAuditSigner().publicKey, ...(opts.publicKeys ?? [])]);
}

/**
 * Verify one chain (null: the platform chain): every event against its hash and links, from genesis
 * or the latest signed retention checkpoint, and the chain against its signed checkpoints and head.
 * Reports every break, not only the first.
 */
export async function verifyChain(db: Executor, orgId: string | null, opts: VerifyOptions = {}): Promise<ChainReport> {
  const chainKey = orgId ?? PLATFORM_CHAIN;
  const checkpoints = opts.checkpoints ?? (await loadCheckpoints(db, opts.checkpointDir ?? null, chainKey)).byChain.get(chainKey) ?? [];
  const chain = startChain(chainKey, checkpoints, keys(opts));
  // Read the next batch while this one is hashed: the database and the hashing overlap.
  let next = checkedBatch(db, orgId, chain.start.seq);
  for (;;) {
    const rows = await next;
    if (rows.length === VERIFY_BATCH) next = checkedBatch(db, orgId, rows.at(-1)!.chainSeq);
    for (const row of rows) chain.walker.push(row, row.intact);
    if (rows.length < VERIFY_BATCH) break;
  }
  const [headRow] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.chainKey, chainKey));
  const head = headRow ? { seq: Number(headRow.lastSeq), hash: headRow.lastHash } : null;
  return { ...finishChain(chainKey, chain, head), head };
}

export interface AuditVerification {
  chains: ChainReport[];
  /** Lines of the checkpoint files that are not checkpoints (`file:line`): a file was tampered with. */
  unreadable: string[];
  ok: boolean;
}

/** Verify every org's chain and the platform chain, and any chain known only from a head or a checkpoint. */
export async function verifyAllChains(db: Executor, opts: VerifyOptions = {}): Promise<AuditVerification> {
  const loaded = await loadCheckpoints(db, opts.checkpointDir ?? null);
  const heads = await db.select({ chainKey: auditChainHeads.chainKey }).from(auditChainHeads);
  const orgIds = await db.select({ id: orgs.id }).from(orgs);
  const chainKeys = [...new Set([...heads.map((h) => h.chainKey), ...loaded.byChain.keys(), ...orgIds.map((o) => o.id)])].sort();
  // Two chains at a time: one is read by the database while the other is hashed here.
  const chains: ChainReport[] = new Array(chainKeys.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < chainKeys.length; i = next++) {
      const chainKey = chainKeys[i]!;
      const checkpoints = loaded.byChain.get(chainKey) ?? [];
      chains[i] = await verifyChain(db, chainKey === PLATFORM_CHAIN ? null : chainKey, { ...opts, checkpoints });
    }
  };
  await Promise.all([worker(), worker()]);
  return { chains, unreadable: loaded.unreadable, ok: loaded.unreadable.length === 0 && chains.every((c) => c.ok) };
}

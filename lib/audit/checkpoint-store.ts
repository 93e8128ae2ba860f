import "server-only";
import { desc, inArray, sql } from "drizzle-orm";
import { type AuditCheckpointKind, auditCheckpointDeliveries, auditCheckpoints } from "@/drizzle/schema";
import { type Database, queryRows, type Tx } from "@/lib/db";
import type { AuditSigner } from "./signing-key";
import { canonicalJson, checkpointId, GENESIS_HASH, type SignedCheckpoint } from "./verify-core.mjs";

export type CheckpointSink = "dir" | "url";

export interface CheckpointContext {
  signer: AuditSigner;
  /** The sinks each new checkpoint is queued for. */
  sinks: CheckpointSink[];
}

export interface CheckpointEntry {
  chainKey: string;
  kind: AuditCheckpointKind;
  seq: number;
  hash: string;
}

// One checkpoint writer at a time (any node), so each chain's checkpoints never fork.
const CHECKPOINT_LOCK = 7_243_993;

/**
 * Sign checkpoints inside the caller's transaction, each linked to its chain's previous checkpoint,
 * store them and queue them for every sink. They leave the database only through the sinks.
 */
export async function appendCheckpoints(tx: Tx, entries: CheckpointEntry[], ctx: CheckpointContext, at = new Date()): Promise<SignedCheckpoint[]> {
  if (!entries.length) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`);
  const last = await tx
    .selectDistinctOn([auditCheckpoints.chainKey], { chainKey: auditCheckpoints.chainKey, n: auditCheckpoints.n, id: auditCheckpoints.id })
    .from(auditCheckpoints)
    .where(inArray(auditCheckpoints.chainKey, entries.map((e) => e.chainKey)))
    .orderBy(auditCheckpoints.chainKey, desc(auditCheckpoints.n));
  const previous = new Map(last.map((r) => [r.chainKey, { n: Number(r.n), id: r.id }]));
  const signed: SignedCheckpoint[] = [];
  const rows: (typeof auditCheckpoints.$inferInsert)[] = [];
  for (const e of entries) {
    const prev = previous.get(e.chainKey);
    const payload = {
      v: 1 as const,
      kind: e.kind,
      chain: e.chainKey,
      n: (prev?.n ?? 0) + 1,
      seq: e.seq,
      hash: e.hash,
      at: at.toISOString(),
      prev: prev?.id ?? GENESIS_HASH,
      kid: ctx.signer.kid,
    };
    const cp: SignedCheckpoint = { ...payload, sig: ctx.signer.sign(canonicalJson(payload)) };
    const id = checkpointId(cp);
    previous.set(e.chainKey, { n: cp.n, id });
    signed.push(cp);
    rows.push({ chainKey: cp.chain, n: cp.n, kind: cp.kind, seq: cp.seq, hash: cp.hash, id, signedAt: at, line: canonicalJson(cp) });
  }
  await tx.insert(auditCheckpoints).values(rows);
  if (ctx.sinks.length) {
    await tx.insert(auditCheckpointDeliveries).values(rows.flatMap((r) => ctx.sinks.map((sink) => ({ chainKey: r.chainKey, n: r.n, sink }))));
  }
  return signed;
}

/**
 * Checkpoint the head of every chain that moved since its last checkpoint (or only `chainKeys`).
 * Safe from several nodes at once: the checkpoint lock serializes them, and a chain whose head
 * was just checkpointed by another node is skipped.
 */
export async function checkpointHeads(database: Database, ctx: CheckpointContext, opts: { chainKeys?: string[]; at?: Date } = {}): Promise<SignedCheckpoint[]> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`);
    const heads = await queryRows<{ chain_key: string; last_seq: string | number; last_hash: string; cp_seq: string | number | null }>(
      tx,
      sql`select h.chain_key, h.last_seq, h.last_hash, c.seq as cp_seq
          from audit_chain_heads h
          left join lateral (select seq from audit_checkpoints c where c.chain_key = h.chain_key order by n desc limit 1) c on true
          where h.last_seq > 0 and (c.seq is null or c.seq <> h.last_seq)
          order by h.chain_key`,
    );
    const wanted = opts.chainKeys ? new Set(opts.chainKeys) : null;
    const entries = heads
      .filter((h) => !wanted || wanted.has(h.chain_key))
      .map((h) => ({ chainKey: h.chain_key, kind: "head" as const, seq: Number(h.last_seq), hash: h.last_hash }));
    return appendCheckpoints(tx, entries, ctx, opts.at);
  });
}

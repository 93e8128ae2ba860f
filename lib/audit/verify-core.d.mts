// Types of verify-core.mjs (plain JavaScript so the standalone verifier can run it with bare Node).
import type { KeyObject } from "node:crypto";

export declare const GENESIS_HASH: string;
export declare function canonicalJson(value: unknown): string;

/** The fields a row's hash covers, besides the previous hash. */
export interface HashedFields {
  id: string;
  occurredAt: Date | string;
  orgId: string | null;
  chainSeq: number;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  onBehalfOfUserId: string | null;
  onBehalfOfName: string | null;
  clientId: string | null;
  grantId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
}

export interface ChainedEvent extends HashedFields {
  prevHash: string;
  hash: string;
}

export declare function hashEvent(prevHash: string, row: HashedFields): string;
export declare function canonicalEvent(row: HashedFields): string;
/** An exported event: the chain fields are null when it was not linked yet. */
export interface ExportedEvent extends Omit<HashedFields, "chainSeq"> {
  chainSeq: number | null;
  prevHash: string | null;
  hash: string | null;
}
export declare function eventFromExport(line: Record<string, unknown>): ExportedEvent;

export type CheckpointKind = "head" | "retention";
export interface CheckpointPayload {
  v: 1;
  kind: CheckpointKind;
  /** The org id, or "platform". */
  chain: string;
  /** Position in this chain's checkpoint chain, from 1. */
  n: number;
  /** head: the chain's last event; retention: the last event dropped. */
  seq: number;
  hash: string;
  /** ISO time of signing. */
  at: string;
  /** Id of checkpoint n-1 of the same chain (zeros for n = 1). */
  prev: string;
  kid: string;
}
export interface SignedCheckpoint extends CheckpointPayload {
  /** Ed25519 signature of canonicalJson(payload), base64url. */
  sig: string;
}

export declare function checkpointPayload(cp: CheckpointPayload): CheckpointPayload;
export declare function checkpointId(cp: CheckpointPayload): string;
export declare function parseCheckpoint(line: string | unknown): SignedCheckpoint | null;
export declare function keyId(publicKeyB64: string): string;
export declare function publicKeys(keysB64: string[]): Map<string, KeyObject>;
export declare function checkSignature(cp: SignedCheckpoint, keys: Map<string, KeyObject>): "ok" | "unknown_key" | "bad_signature";

export type BreakReason =
  | "content_altered"
  | "link_broken"
  | "rows_missing"
  | "duplicate_seq"
  | "tail_missing"
  | "head_mismatch"
  | "tail_truncated"
  | "checkpoint_mismatch"
  | "checkpoint_invalid"
  | "checkpoint_chain_broken"
  | "event_unlinked"
  | "unchained_overdue";

export interface ChainBreak {
  reason: BreakReason;
  /** First event affected. */
  seq: number;
  /** Last event affected. */
  lastSeq: number;
  /** The event at `seq`, when there is one. */
  eventId: string | null;
  message: string;
}

export interface CheckpointAnalysis {
  valid: SignedCheckpoint[];
  breaks: ChainBreak[];
  start: { seq: number; hash: string; checkpoint: SignedCheckpoint } | null;
}
export declare function analyzeCheckpoints(chainKey: string, checkpoints: SignedCheckpoint[], keys: Map<string, KeyObject>): CheckpointAnalysis;

export declare class ChainWalker {
  constructor(start?: { seq: number; hash: string }, wantSeqs?: Set<number>);
  readonly firstSeq: number;
  readonly expectedSeq: number;
  readonly breaks: ChainBreak[];
  readonly checked: number;
  readonly last: { seq: number; hash: string } | null;
  readonly hashAt: Map<number, string>;
  readonly alteredAt: Set<number>;
  push(row: Pick<ChainedEvent, "chainSeq" | "prevHash" | "hash" | "id">, intact?: boolean): void;
}

export interface Holding {
  n: number;
  seq: number;
  at: string;
}
export declare function judgeChain(args: {
  walker: ChainWalker;
  checkpoints: SignedCheckpoint[];
  head: { seq: number; hash: string } | null;
}): { breaks: ChainBreak[]; lastHolding: SignedCheckpoint | null };
export declare function sortBreaks(breaks: ChainBreak[]): ChainBreak[];

export interface ChainVerdict {
  chainKey: string;
  checked: number;
  ok: boolean;
  /** Every break found, in chain order. */
  breaks: ChainBreak[];
  firstBreak: ChainBreak | null;
  last: { seq: number; hash: string } | null;
  /** Valid signed checkpoints of this chain. */
  checkpoints: number;
  lastCheckpoint: Holding | null;
  /** The newest checkpoint the events still agree with: everything up to it is as signed. */
  lastHolding: Holding | null;
}
export interface ChainInProgress {
  cps: CheckpointAnalysis;
  start: { seq: number; hash: string };
  walker: ChainWalker;
}
export declare function startChain(chainKey: string, checkpoints: SignedCheckpoint[], keys: Map<string, KeyObject>): ChainInProgress;
export declare function finishChain(chainKey: string, chain: ChainInProgress, head: { seq: number; hash: string } | null): ChainVerdict;
export declare function verifyEvents(
  chainKey: string,
  events: (ChainedEvent | ExportedEvent)[],
  checkpoints: SignedCheckpoint[],
  keys: Map<string, KeyObject>,
): ChainVerdict & { unlinked: number };

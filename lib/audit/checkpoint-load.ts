import "server-only";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { auditCheckpoints } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";
import { parseCheckpoint, type SignedCheckpoint } from "./verify-core.mjs";

export interface LoadedCheckpoints {
  byChain: Map<string, SignedCheckpoint[]>;
  /** Lines in the checkpoint files that are not checkpoints at all (`file:line`). */
  unreadable: string[];
}

/**
 * Every checkpoint known: the database's copy and the sink directory's day files, merged (exact
 * duplicates collapse later, by id). Evidence from both: a checkpoint removed from one is still
 * in the other, and one forged in either fails its signature.
 */
export async function loadCheckpoints(db: Executor, dir: string | null, chainKey?: string): Promise<LoadedCheckpoints> {
  const byChain = new Map<string, SignedCheckpoint[]>();
  const unreadable: string[] = [];
  const add = (cp: SignedCheckpoint) => {
    if (chainKey && cp.chain !== chainKey) return;
    byChain.set(cp.chain, [...(byChain.get(cp.chain) ?? []), cp]);
  };
  const rows = await db
    .select({ line: auditCheckpoints.line })
    .from(auditCheckpoints)
    .where(chainKey ? eq(auditCheckpoints.chainKey, chainKey) : undefined)
    .orderBy(asc(auditCheckpoints.chainKey), asc(auditCheckpoints.n));
  for (const r of rows) {
    const cp = parseCheckpoint(r.line);
    if (cp) add(cp);
    else unreadable.push("database");
  }
  if (dir) {
    let files: string[] = [];
    try {
      files = (await readdir(dir)).filter((f) => f.endsWith(".jsonl")).sort();
    } catch {
      // no directory yet: nothing delivered
    }
    for (const f of files) {
      const lines = (await readFile(path.join(dir, f), "utf8")).split("\n");
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        const cp = parseCheckpoint(line);
        if (cp) add(cp);
        else unreadable.push(`${f}:${i + 1}`);
      });
    }
  }
  return { byChain, unreadable };
}

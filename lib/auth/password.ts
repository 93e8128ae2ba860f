import "server-only";
import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
// algorithm 2 is Argon2id (the package exports it as a const enum, which isolatedModules cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether a stored hash was made with other parameters than today's (then it is re-computed at sign-in). */
export function needsRehash(stored: string, options: { memoryCost: number; timeCost: number; parallelism: number } = OPTIONS): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!match) return true;
  return Number(match[1]) !== options.memoryCost || Number(match[2]) !== options.timeCost || Number(match[3]) !== options.parallelism;
}

// Verified against when the account does not exist, so unknown emails cost the same time.
let dummyHash: Promise<string> | undefined;

/** Verify a password; with no stored hash, burn the same time and return false. */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword("gatehouse-timing-equalizer");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

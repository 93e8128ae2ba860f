import "server-only";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * PGlite has no lock of its own, and two processes on one data folder silently lose rows.
 * Take a pid lock file; refuse if a live process holds it.
 */
export function acquireDataDirLock(dir: string): () => void {
  const file = path.join(dir, "..", "pglite.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      const release = () => rmSync(file, { force: true });
      // However the process ends (a signal handler's exit included), the lock goes with it.
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(file, "utf8"));
      if (pid === process.pid) return () => rmSync(file, { force: true });
      if (pid && isAlive(pid)) {
        throw new Error(
          `The embedded database in ${path.dirname(file)} is in use by process ${pid}. ` +
            "Stop the running app first (PGlite cannot be shared between processes), or set DATABASE_URL.",
        );
      }
      rmSync(file, { force: true }); // stale lock from a process that is gone
    }
  }
  throw new Error(`Could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

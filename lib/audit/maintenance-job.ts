import "server-only";
import type { Database } from "@/lib/db";
import { runAuditMaintenance } from "./maintenance";

/**
 * Run audit maintenance now and then every `intervalMinutes` (0: only now). The timer is unref'd,
 * so it never keeps the process alive; failures are logged and retried on the next tick.
 */
export async function startAuditMaintenance(database: Database, opts: { intervalMinutes: number; platformRetentionDays: number }): Promise<void> {
  const run = async () => {
    try {
      const report = await runAuditMaintenance(database, { platformRetentionDays: opts.platformRetentionDays });
      const dropped = report?.decisions.filter((d) => d.dropped).map((d) => d.partition) ?? [];
      if (report?.created || dropped.length) {
        console.log(`[audit] partitions created: ${report?.created ?? 0}; dropped by retention: ${dropped.join(", ") || "none"}`);
      }
    } catch (err) {
      console.error("[audit] maintenance failed", err);
    }
  };
  await run();
  if (opts.intervalMinutes > 0) setInterval(run, opts.intervalMinutes * 60_000).unref();
}

import "server-only";
import { type Database, getDatabase } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { checkpointNow } from "./checkpoint-job";
import { type AuditActor, recordAudit } from "./record";

/** Sign every moved chain head now (a platform admin asked), deliver, and record that it was done. */
export async function checkpointOnDemand(who: { actor: AuditActor; context: RequestContext }, database: Database = getDatabase()) {
  const { checkpoints, delivered, failed } = await checkpointNow(database);
  await database.db.transaction((tx) =>
    recordAudit(tx, {
      orgId: null,
      actor: who.actor,
      action: "audit.checkpoint_signed",
      context: who.context,
      metadata: { chains: checkpoints.length, delivered, queued: failed },
    }),
  );
  return { chains: checkpoints.length, delivered, queued: failed };
}

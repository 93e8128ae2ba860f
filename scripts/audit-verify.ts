// npm run audit:verify [-- --json] [--checkpoints DIR] [--key PUBLIC_KEY]… — verify every audit chain:
// each event against its hash and links, and each chain against its signed checkpoints (from the
// database and the sink directory). Reports every break; exits 1 if any.
import { parseArgs } from "node:util";
import { checkpointDir } from "../lib/audit/checkpoint-job";
import { formatVerification } from "../lib/audit/verify-text";
import { verifyAllChains } from "../lib/audit/verify";
import { getDatabase } from "../lib/db";

async function main() {
  const { values } = parseArgs({
    options: { json: { type: "boolean" }, checkpoints: { type: "string" }, key: { type: "string", multiple: true } },
  });
  const database = getDatabase();
  try {
    const result = await verifyAllChains(database.db, { checkpointDir: values.checkpoints ?? checkpointDir(), publicKeys: values.key });
    console.log(values.json ? JSON.stringify(result, null, 2) : formatVerification(result));
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});

// npm run bench: run every benchmark in bench/ (each prints its own ratios). `npm run bench -- name`
// runs only the files whose name contains "name".
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = __dirname;
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !["run.ts", "lib.ts"].includes(f) && !f.startsWith("_") && !f.endsWith(".test.ts"))
  .filter((f) => !filter || f.includes(filter))
  .sort();

if (files.length === 0) {
  console.log("No benchmarks to run.");
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file} ===`);
  const run = spawnSync(path.join(dir, "..", "node_modules", ".bin", "tsx"), ["--conditions=react-server", path.join(dir, file)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

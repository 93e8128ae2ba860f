// npm run bench: run every benchmark in bench/ (each prints its own figures and verdict rows), then
// a summary table of every row with its goal and verdict. `npm run bench -- name` runs only the
// files whose name contains "name".
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";

const dir = __dirname;
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !["run.ts", "lib.ts"].includes(f) && !f.startsWith("_") && !f.endsWith(".test.ts"))
  .filter((f) => !filter || f.includes(filter))
  .sort();

interface Row {
  file: string;
  row: string;
  goal: string;
  measured: string;
  pass: boolean;
}

function runOne(file: string, rows: Row[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(path.join(dir, "..", "node_modules", ".bin", "tsx"), ["--conditions=react-server", path.join(dir, file)], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("::verdict::")) rows.push({ file, ...(JSON.parse(line.slice(11)) as Omit<Row, "file">) });
      else console.log(line);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function main() {
  if (files.length === 0) {
    console.log("No benchmarks to run.");
    return 0;
  }
  const rows: Row[] = [];
  const crashed: string[] = [];
  for (const file of files) {
    console.log(`\n=== bench/${file} ===`);
    if ((await runOne(file, rows)) !== 0) crashed.push(file);
  }
  console.log("\n=== summary ===");
  const width = Math.max(...rows.map((r) => r.row.length), 10);
  for (const r of rows) console.log(`${r.pass ? "PASS" : "FAIL"}  ${r.row.padEnd(width)}  ${r.measured}  (goal ${r.goal})`);
  for (const f of crashed) console.log(`ERROR bench/${f} did not finish`);
  const failed = rows.filter((r) => !r.pass).length;
  console.log(`${rows.length - failed} of ${rows.length} goals met${crashed.length ? `, ${crashed.length} benchmark(s) failed to run` : ""}`);
  return crashed.length ? 1 : 0;
}

main().then((code) => process.exit(code));

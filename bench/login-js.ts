// npm run bench -- login-js: the first-load JavaScript of /login (gzip) against a bare Next.js page,
// both read from production builds (README "/login weight"). Budget: /login ≤ bare + 15 kB.
//
// Method: the bare page is fixtures/bare-next (a root layout with <html><body> and a page with one
// <main>, no client code), built once with this repository's own Next.js (its node_modules are
// hard-linked in) and rebuilt when the Next.js version changes. For both builds the first-load JS is the
// runtime every App Router page loads (rootMainFiles) plus every chunk the page's client reference
// manifest lists for its segments; each file gzipped at level 9. Gatehouse's .next is built first
// when missing (npx next build).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { firstLoad, kB } from "./_first-load";
import { verdict } from "./lib";

const root = path.resolve(__dirname, "..");
const bareDir = path.join(root, "fixtures", "bare-next");
const BUDGET = 15_000;
const nextVersion = (JSON.parse(readFileSync(path.join(root, "node_modules/next/package.json"), "utf8")) as { version: string }).version;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function build(dir: string) {
  // Each project's own next binary: the root's would compile Gatehouse's tree into the fixture.
  const run = spawnSync(path.join(dir, "node_modules/.bin/next"), ["build"], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
  if (run.status !== 0) throw new Error(`next build failed in ${dir}`);
}

function bareBuild(): string {
  const nextDir = path.join(bareDir, ".next");
  const stamp = path.join(nextDir, "gatehouse-next-version");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === nextVersion) return nextDir;
  // Turbopack compiles nothing outside the project's root (a symlinked node_modules is refused), so
  // the fixture gets a hard-linked copy of the root's node_modules (no extra disk) and its own lockfile.
  const modules = path.join(bareDir, "node_modules");
  rmSync(modules, { recursive: true, force: true });
  const copy = spawnSync("cp", ["-al", path.join(root, "node_modules"), modules], { stdio: "inherit" });
  if (copy.status !== 0) throw new Error("could not hard-link node_modules into fixtures/bare-next");
  rmSync(nextDir, { recursive: true, force: true });
  console.log(`Building the bare reference page with Next.js ${nextVersion} (once)…`);
  build(bareDir);
  writeFileSync(stamp, nextVersion);
  return nextDir;
}

function main() {
  const appNext = path.join(root, ".next");
  if (!existsSync(path.join(appNext, "BUILD_ID"))) {
    console.log("No production build: running next build…");
    build(root);
  }
  const bare = firstLoad(bareBuild(), "");
  const login = firstLoad(appNext, "(auth)/login");
  const bareSet = new Set(bare.files);
  const own = login.files.filter((f) => !bareSet.has(f));
  const delta = login.gzipBytes - bare.gzipBytes;
  console.log(`bare Next.js ${nextVersion} page: ${kB(bare.gzipBytes)} gzip (${bare.files.length} files)`);
  console.log(`/login:                   ${kB(login.gzipBytes)} gzip (${login.files.length} files, ${own.length} not in the bare page)`);
  console.log(`delta: +${kB(delta)} (budget +${kB(BUDGET)}) → ${delta <= BUDGET ? "PASS" : "FAIL"}`);
  verdict("/login first-load JavaScript − bare Next.js page, gzip", `≤ +${kB(BUDGET)}`, `+${kB(delta)}`, delta <= BUDGET);
  return delta <= BUDGET ? 0 : 1;
}

process.exit(main());

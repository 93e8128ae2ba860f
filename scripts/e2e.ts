// npm run test:e2e: Playwright against one production build, in real Chromium.
// Finds a browser (CHROMIUM_PATH, Debian's chromium, or Playwright's own); without one it says so
// and skips. The server gets a fresh database: a new one on DATABASE_URL's server, or a fresh PGlite folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServerDatabase } from "../test/server-database";

const root = path.resolve(__dirname, "..");

function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    // Playwright's own download, where the machine could fetch one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, resolved at run time
    const own = require("playwright-core").chromium.executablePath() as string;
    if (own && existsSync(own)) return own;
  } catch {
    // not installed
  }
  return null;
}

async function main() {
  const chromium = findChromium();
  if (!chromium) {
    console.log("\nSKIPPED: browser tests — no Chromium found (apt-get install chromium, or set CHROMIUM_PATH).\n");
    return 0;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1" };
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const build = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, env, stdio: "inherit" });
    if (build.status !== 0) return build.status ?? 1;
  }

  let cleanup = async () => {};
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const server = await createServerDatabase(serverUrl, "gh_e2e");
    env.E2E_DATABASE_URL = server.url;
    cleanup = server.drop;
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-"));
    env.E2E_DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  console.log(`[e2e] Chromium: ${chromium}; database: ${serverUrl ? "PostgreSQL (fresh database)" : "embedded PGlite (fresh folder)"}`);
  const args = ["test", ...process.argv.slice(2)];
  const run = spawnSync(path.join(root, "node_modules/.bin/playwright"), args, { cwd: root, env, stdio: "inherit" });
  await cleanup();
  return run.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

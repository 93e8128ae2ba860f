// npm start: build if there is no build, then serve. Migrations and the first demo seed run inside
// the server process (instrumentation.ts), the only process allowed to open embedded PGlite.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD, demoLogins } from "../lib/seed/demo-logins";

const root = path.resolve(__dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) };
const nextBin = path.join(root, "node_modules", ".bin", "next");

function main() {
  if (process.argv.includes("--rebuild") || !existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("[gatehouse] building the app (first start only; `npm run build` to rebuild)…");
    const build = spawnSync(nextBin, ["build"], { cwd: root, env, stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const server = spawn(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "server.ts")], { cwd: root, env, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
  void announce();
}

async function announce() {
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) {
        const health = (await res.json()) as { database: { kind: string } };
        const lines = [
          "",
          `  Gatehouse is running at ${url}`,
          `  Database: ${health.database.kind === "pglite" ? `embedded PGlite (${process.env.DATA_DIR ?? ".data"})` : "PostgreSQL"}`,
        ];
        const seeded = process.env.APP_ENV !== "production" && process.env.SEED_DEMO !== "false";
        if (seeded) {
          lines.push(`  Demo logins (password: ${DEMO_PASSWORD}):`);
          for (const l of demoLogins()) lines.push(`    ${l.email.padEnd(28)} ${l.role}`);
          lines.push(`  Development mailbox: ${url}/dev/mailbox`);
        }
        console.log(lines.join("\n") + "\n");
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`[gatehouse] the server did not become healthy at ${url}/api/health`);
}

main();

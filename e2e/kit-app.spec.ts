import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { DEMO_PASSWORD, expect, test } from "./fixtures";

// The kit leaves the app (issue 15): another Next.js app (fixtures/kit-app, a clean copy in a temp
// folder) installs the sign-in kit from this Gatehouse's shadcn registry with the real shadcn CLI,
// is built and started on its own port (listed in LOGIN_ALLOWED_ORIGINS by playwright.config.ts), and
// a demo user signs in through its /login page in Chromium; the session lands on Gatehouse's origin.
const root = path.resolve(__dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3100);
const gatehouse = `http://localhost:${port}`;
const appPort = port + 53;
const appUrl = `http://localhost:${appPort}`;
const email = "member@xcorp.example";
/** What the app installs from Gatehouse's registry. */
const ITEMS = ["login-state-manager", "members-table", "audit-explorer"];

interface RegistryItem {
  name: string;
  type: string;
  dependencies: string[];
  registryDependencies: string[];
  files: { path: string; type: string; target?: string; content: string }[];
}

/**
 * The environment of the app's own commands: without the npm_* variables `npm run test:e2e` sets for
 * Gatehouse (npm_config_local_prefix and the like belong to Gatehouse's project, not the app's).
 */
function appEnv(extra: Partial<NodeJS.ProcessEnv> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
  for (const key of Object.keys(env)) if (/^npm_/i.test(key) || key === "INIT_CWD") delete env[key];
  return env;
}

/** Run a command to its end, collecting what it prints (async: this process serves a registry meanwhile). */
function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** The item and every item it depends on, as Gatehouse serves them (registryDependencies are full URLs). */
async function itemTree(url: string, seen = new Map<string, RegistryItem>()): Promise<Map<string, RegistryItem>> {
  if (seen.has(url)) return seen;
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  const item = (await res.json()) as RegistryItem;
  seen.set(url, item);
  for (const dep of item.registryDependencies) await itemTree(dep, seen);
  return seen;
}

/** Where the shadcn CLI puts a file, with fixtures/kit-app's components.json (aliases @/components/ui, @/lib). */
function installedPath(file: RegistryItem["files"][number]): string {
  if (file.target) return file.target;
  if (file.type === "registry:ui") return `components/ui/${path.posix.basename(file.path)}`;
  if (file.type === "registry:lib") return `lib/${path.posix.basename(file.path)}`;
  throw new Error(`no target for ${file.path}`);
}

test.describe.configure({ mode: "serial" });

test.describe("the sign-in kit installed into another Next.js app with the shadcn CLI", () => {
  let dir = "";
  let app: ChildProcess | undefined;
  let appOutput = "";
  /** Stands in for the public shadcn registry (REGISTRY_URL): the CLI must never ask it anything. */
  let shadcnRegistry: Server | undefined;
  const shadcnRequests: string[] = [];

  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-kit-app-"));
    cpSync(path.join(root, "fixtures", "kit-app"), dir, {
      recursive: true,
      filter: (src) => !/[\\/](node_modules|\.next)$/.test(src),
    });
    shadcnRegistry = createServer((req, res) => {
      shadcnRequests.push(`${req.method} ${req.url}`);
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not the public shadcn registry" }));
    });
    await new Promise<void>((resolve) => shadcnRegistry!.listen(0, "127.0.0.1", resolve));
  });

  test.afterAll(async () => {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once("exit", r));
      app.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (app.exitCode === null) app.kill("SIGKILL");
    }
    await new Promise((r) => (shadcnRegistry ? shadcnRegistry.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("`shadcn add <gatehouse>/r/login-state-manager.json` installs the kit from Gatehouse alone", async () => {
    test.setTimeout(300_000);
    // Turbopack compiles nothing outside the project's root (a symlinked node_modules is refused): the app
    // gets a hard-linked copy of Gatehouse's node_modules (next, react, tailwind; no download, no extra
    // disk). npm's own record of that tree goes: npm would rewrite it in place, through the hard link.
    const copy = await run("cp", ["-al", path.join(root, "node_modules"), path.join(dir, "node_modules")], { cwd: dir, env: process.env });
    expect(copy.code, copy.output).toBe(0);
    rmSync(path.join(dir, "node_modules", ".package-lock.json"), { force: true });

    const { address, port: registryPort } = shadcnRegistry!.address() as AddressInfo;
    // The sign-in kit, and the console blocks (fixtures/kit-app/app/console renders them: the build below
    // type-checks them in this app).
    const add = await run(path.join(root, "node_modules/.bin/shadcn"), ["add", "--yes", ...ITEMS.map((i) => `${gatehouse}/r/${i}.json`)], {
      cwd: dir,
      env: appEnv({ REGISTRY_URL: `http://${address}:${registryPort}/r` }),
    });
    expect(add.code, add.output).toBe(0);
    expect(shadcnRequests, "requests the CLI sent to the public shadcn registry").toEqual([]);

    // Every file of every item they depend on is where components.json says, as Gatehouse serves it.
    const tree = new Map<string, RegistryItem>();
    for (const i of ITEMS) await itemTree(`${gatehouse}/r/${i}.json`, tree);
    const names = [...tree.values()].map((i) => i.name);
    for (const n of ["login-state-manager", "login-kit", "login-and-signup", "verify-mfa", "enroll-in-mfa", "logged-in", "utils", "button", "gatehouse-theme"]) expect(names).toContain(n);
    for (const n of ["members-table", "audit-explorer", "table", "select", "alert-dialog", "sheet"]) expect(names).toContain(n);
    for (const item of tree.values()) {
      for (const file of item.files) {
        const at = path.join(dir, installedPath(file));
        expect(existsSync(at), `${item.name}: ${file.path} → ${installedPath(file)}`).toBe(true);
      }
    }
    for (const rel of ["components/login/login-state-manager.tsx", "components/login/login-kit.tsx", "components/login/logged-in.tsx", "components/ui/button.tsx", "components/console/members-table.tsx", "components/audit/audit-explorer.tsx", "lib/queries/members/use-members.ts"]) {
      expect(readFileSync(path.join(dir, rel), "utf8"), rel).toBe(readFileSync(path.join(root, rel), "utf8"));
    }

    // npm packages: in the app's package.json and installed at Gatehouse's versions.
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const wanted = new Set([...tree.values()].flatMap((i) => i.dependencies));
    expect(wanted.size).toBeGreaterThan(0);
    for (const spec of wanted) {
      const at = spec.lastIndexOf("@");
      const [name, version] = [spec.slice(0, at), spec.slice(at + 1)];
      expect(pkg.dependencies[name], spec).toBeDefined();
      const installed = JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string };
      expect(installed.version, spec).toBe(version);
    }

    // The theme tokens went into the app's stylesheet (cssVars of gatehouse-theme, Tailwind v4 @theme).
    const css = readFileSync(path.join(dir, "app", "globals.css"), "utf8");
    expect(css).toContain("--color-primary: var(--primary)");
    expect(css).toMatch(/:root\s*\{[^}]*--primary:/);
    expect(css).toMatch(/\.dark\s*\{[^}]*--primary:/);
  });

  test("the app builds (the installed console blocks type-check in it), and a user signs in through its /login page onto Gatehouse's origin", async ({ page }) => {
    test.setTimeout(420_000);
    const env = appEnv({ NODE_ENV: "production" });
    // The app's own next binary (the hard-linked copy): Gatehouse's would compile Gatehouse's tree.
    const build = await run(path.join(dir, "node_modules/.bin/next"), ["build"], { cwd: dir, env });
    expect(build.code, build.output).toBe(0);
    expect(build.output, "the console page with members-table and audit-explorer was built").toMatch(/\/console\b/);

    const child = spawn(path.join(dir, "node_modules/.bin/next"), ["start", "-p", String(appPort), "-H", "localhost"], {
      cwd: dir,
      env: { ...env, GATEHOUSE_URL: gatehouse },
      stdio: ["ignore", "pipe", "pipe"],
    });
    app = child;
    child.stdout.on("data", (b: Buffer) => (appOutput += b.toString()));
    child.stderr.on("data", (b: Buffer) => (appOutput += b.toString()));
    await expect
      .poll(
        async () => {
          if (child.exitCode !== null) throw new Error(`the kit app exited (${child.exitCode}):\n${appOutput}`);
          return fetch(`${appUrl}/login`).then(
            (r) => r.status,
            () => 0,
          );
        },
        { timeout: 60_000, message: "the kit app's /login" },
      )
      .toBe(200);
    // The installed console blocks render on the app's server too (their data loads in the browser).
    expect((await fetch(`${appUrl}/console`)).status, "the kit app's /console").toBe(200);

    const gatehouseCalls: string[] = [];
    const ownApiCalls: string[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith(`${gatehouse}/api/login/`)) gatehouseCalls.push(`${r.method()} ${new URL(r.url()).pathname}`);
      if (r.url().startsWith(`${appUrl}/api/`)) ownApiCalls.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });

    expect((await page.request.get(`${gatehouse}/api/account/sessions`)).status(), "signed out before").toBe(401);
    await page.goto(`${appUrl}/login`);
    await expect(page.getByTestId("brand")).toContainText("Kit app");
    const emailField = page.getByLabel("Email");
    await expect(emailField).toBeFocused();

    // A wrong password: Gatehouse's answer shows in the installed component.
    await emailField.fill(email);
    await page.getByLabel("Password", { exact: true }).fill("not-the-password-at-all");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("sign-in-error")).toContainText("do not match");
    expect(new URL(page.url()).origin).toBe(appUrl);
    // A passkey is bound to Gatehouse's origin: on this one (hydrated: the error above came by fetch)
    // the kit shows no passkey button and offers none in the email field's autofill.
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await expect(page.getByTestId("passkey-sign-in")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /passkey/i })).toHaveCount(0);
    await expect(emailField).toHaveAttribute("autocomplete", "username");

    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // LOGGED_IN: the kit opens the session and sends the browser to returnTo on Gatehouse.
    await page.waitForURL(`${gatehouse}/account`);
    await expect(page.getByText(email).first()).toBeVisible();
    expect(gatehouseCalls).toEqual(expect.arrayContaining(["GET /api/login/state", "POST /api/login/password", "POST /api/login/complete"]));
    // No passkey ceremony was started, neither on Gatehouse nor (the old mistake) on the app's own origin.
    expect(gatehouseCalls.filter((c) => c.includes("/passkey/")), "passkey calls to Gatehouse").toEqual([]);
    expect(ownApiCalls, "calls the kit sent to the app's own origin").toEqual([]);

    // The session is Gatehouse's (its cookie, on its origin): its signed-in API answers this browser.
    expect((await page.request.get(`${gatehouse}/api/account/sessions`)).status()).toBe(200);
  });
});

import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // Containers often give /dev/shm 64 MB: Chromium then fails to open tabs. /tmp has room.
  "--disable-dev-shm-usage",
];

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // One retry in CI, reported as "flaky" in the list: a browser hiccup should not hide the run's result.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || undefined, args: chromiumArgs },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"] },
  ],
  webServer: {
    // One production build, started once for the whole run; migrations and the demo seed run at start.
    command: "node_modules/.bin/tsx scripts/server.ts",
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      APP_ENV: "test",
      APP_URL: baseURL,
      PORT: String(port),
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : { DATABASE_URL: "" }),
      DATA_DIR: process.env.E2E_DATA_DIR ?? ".data-e2e",
      // Other apps that use the sign-in API across origins: the page of e2e/sign-in-finish.spec.ts and
      // the Next.js app of e2e/kit-app.spec.ts (fixtures/kit-app with the kit installed by the shadcn CLI).
      LOGIN_ALLOWED_ORIGINS: `http://localhost:${port + 51},http://localhost:${port + 53}`,
      // The whole suite signs people up and mails them from one address (127.0.0.1): the per-IP budgets
      // are for strangers, not for a test run (the per-address and per-account limits stay as configured).
      SIGN_UPS_PER_IP: "1000",
      MAILS_PER_IP: "1000",
    },
  },
});

import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // The real package throws outside React Server Components; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".data*/**", "fixtures/**"],
    environment: "node",
    testTimeout: 30_000,
    // next-auth imports "next/server" without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    hookTimeout: 60_000,
    env: {
      APP_ENV: "test",
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123456789",
      ENCRYPTION_KEY: "0".repeat(63) + "1",
      DATA_DIR: ".data-test",
    },
  },
});

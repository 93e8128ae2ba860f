import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "fixtures/*/.next/**", "fixtures/*/node_modules/**", "node_modules/**", ".data*/**", "drizzle/meta/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
  {
    plugins: { drizzle },
    rules: {
      // An update or delete without a where clause is almost always a tenant-isolation bug.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Not React: vitest helpers and Playwright fixtures use "use…" names for their own meaning.
    files: ["**/*.test.ts", "test/**", "e2e/**", "bench/**", "scripts/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;

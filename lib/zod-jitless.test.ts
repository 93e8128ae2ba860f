import { describe, expect, it } from "vitest";

describe("instrumentation-client.ts", () => {
  it("turns zod's JIT off through its global configuration, without importing zod", async () => {
    const { readFileSync } = await import("node:fs");
    const source = readFileSync(new URL("../instrumentation-client.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/from\s+["']zod/);
    await import("../instrumentation-client");
    const { config } = await import("zod/v4/core");
    expect(config().jitless).toBe(true);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { getEnv, resetEnvForTests } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("environment", () => {
  it("refuses to start in production without secrets, naming each one", () => {
    process.env = { ...saved, APP_ENV: "production" };
    delete process.env.AUTH_SECRET;
    delete process.env.ENCRYPTION_KEY;
    delete process.env.APP_URL;
    resetEnvForTests();
    expect(() => getEnv()).toThrow(/AUTH_SECRET[\s\S]*ENCRYPTION_KEY[\s\S]*APP_URL/);
  });

  it("names invalid values", () => {
    process.env = { ...saved, DATABASE_URL: "mysql://nope", PORT: "eighty" };
    resetEnvForTests();
    expect(() => getEnv()).toThrow(/DATABASE_URL[\s\S]*PORT|PORT[\s\S]*DATABASE_URL/);
  });

  it("has working defaults for development", () => {
    process.env = { ...saved, APP_ENV: "development" };
    delete process.env.PORT;
    resetEnvForTests();
    const env = getEnv();
    expect(env).toMatchObject({ PORT: 3000, APP_URL: "http://localhost:3000", DEV_MAILBOX: true, SEED_DEMO: true, isProduction: false });
    expect(env.SESSION_IDLE_TIMEOUT_SECONDS).toBeLessThan(env.SESSION_MAX_AGE_SECONDS);
  });
});

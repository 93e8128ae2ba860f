import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { isCommonPassword, passwordProblem } from "./password-policy";

describe("password policy", () => {
  it.each([
    ["short", "elevenchars", /at least 12/],
    ["common", "qwerty123456", /too common/],
    ["common, other case", "QWERTY123456", /too common/],
    ["the email's local part", "ann.marie.smith", /email address/],
  ])("refuses %s", (_, password, message) => {
    expect(passwordProblem(password, { email: "ann.marie.smith@example.com" })).toMatch(message);
  });

  it("has no composition rules and accepts long passphrases", () => {
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("x".repeat(64) + " is long")).toBeNull();
    expect(passwordProblem("🔐".repeat(12))).toBeNull(); // counts characters, not bytes
  });

  it("bundles a real blocklist", () => {
    expect(isCommonPassword("password")).toBe(true);
    expect(isCommonPassword("1q2w3e4r5t6y")).toBe(true);
    expect(isCommonPassword("plum-tractor-violet-41")).toBe(false);
  });

  it("does not truncate: a 100-character password differs from its first 72 characters", async () => {
    const long = "a".repeat(72) + "b".repeat(28);
    const hash = await hashPassword(long);
    expect(await verifyPassword(hash, long)).toBe(true);
    expect(await verifyPassword(hash, long.slice(0, 72))).toBe(false);
  });
});

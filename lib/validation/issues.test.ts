import { describe, expect, it } from "vitest";
import { z } from "zod";
import { orgSettingsSchema } from "@/lib/orgs/settings";
import { fieldName, plainIssues } from "./issues";

function issuesOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be refused");
  return plainIssues(parsed.error, input);
}

describe("plain words for validation errors", () => {
  it.each<[PropertyKey[], string]>([
    [[], "The input"],
    [["name"], "Name"],
    [["autoJoinDomains", 1], "Auto join domains, entry 2"],
    [["redirect_uris", 0], "Redirect uris, entry 1"],
    [["roles", "admin", 3], "Roles, admin, entry 4"],
  ])("names %j as %s", (path, name) => {
    expect(fieldName(path)).toBe(name);
  });

  it("names the field and the bad value of an org's auto-join domain, without the schema path", () => {
    const { message, fields } = issuesOf(orgSettingsSchema, { name: "Acme", autoJoinDomains: ["acme.com", "not a domain"], restrictToDomains: false, requireMfa: false });
    expect(message).toMatch(/^Auto join domains, entry 2 “not a domain”: /);
    expect(message).not.toContain("autoJoinDomains");
    expect(Object.keys(fields)).toEqual(["autoJoinDomains.1"]);
    expect(fields["autoJoinDomains.1"]).toMatch(/^“not a domain”: /);
  });

  const schema = z.strictObject({
    action: z.enum(["member.invited", "member.removed"]),
    count: z.number().int().max(5),
    email: z.email(),
    title: z.string().min(1),
    tags: z.array(z.string()).min(1),
    password: z.string().min(12),
  });

  it("rewrites zod's default messages as plain words with the value", () => {
    const { message, fields } = issuesOf(schema, { action: "member.eaten", count: 7, email: "bob", title: "", tags: [], password: "hunter2", extra: 1 });
    expect(fields).toEqual({
      action: "“member.eaten” must be one of member.invited, member.removed",
      count: "7 must be at most 5",
      email: "“bob” is not an email address",
      title: "Cannot be empty",
      tags: "Needs at least one entry",
      password: "Must be at least 12 characters",
      _: "Has a field we do not know: extra",
    });
    expect(message).toContain("Action “member.eaten” must be one of member.invited, member.removed.");
    expect(message).toContain("Count 7 must be at most 5.");
    expect(message).not.toMatch(/Invalid input|Invalid option|Too (small|big)|expected/);
  });

  it("never repeats the value of a field that may hold a secret", () => {
    const { message, fields } = issuesOf(schema.pick({ password: true }), { password: "hunter2" });
    expect(message).toBe("Password must be at least 12 characters.");
    expect(JSON.stringify(fields)).not.toContain("hunter2");
  });

  it("says a missing field is missing, and a wrong type what it should be", () => {
    const { fields } = issuesOf(schema.pick({ title: true, count: true }), { count: "three" });
    expect(fields).toEqual({ title: "Is missing", count: "“three” must be a number" });
  });

  it("keeps a schema's own message and shortens a long value", () => {
    const long = "x".repeat(100);
    const { message } = issuesOf(z.object({ slug: z.string().regex(/^[a-z]+$/, "Use lowercase letters only") }), { slug: `A${long}` });
    expect(message).toBe(`Slug “A${"x".repeat(39)}…”: Use lowercase letters only.`);
  });
});

import { describe, expect, it } from "vitest";
import { byRole, cell, cellChanges, planDiff } from "./diff";

const members = [
  { userId: "1", email: "owner@x", roleId: "owner", roleName: "Owner" },
  { userId: "2", email: "admin@x", roleId: "admin", roleName: "Admin" },
  { userId: "3", email: "member@x", roleId: "member", roleName: "Member" },
];
const set = (...cells: [string, string][]) => new Set(cells.map(([r, p]) => cell(r, p)));

describe("planDiff", () => {
  it.each([
    ["no change", set(["admin", "a::b"]), set(["admin", "a::b"]), []],
    [
      "an admin loses an export",
      set(["admin", "reports::export"], ["admin", "reports::read"]),
      set(["admin", "reports::read"]),
      [{ userId: "2", email: "admin@x", role: "Admin", gained: [], lost: ["reports::export"] }],
    ],
    [
      "members gain, owners lose",
      set(["owner", "billing::manage"]),
      set(["member", "reports::read"]),
      [
        { userId: "3", email: "member@x", role: "Member", gained: ["reports::read"], lost: [] },
        { userId: "1", email: "owner@x", role: "Owner", gained: [], lost: ["billing::manage"] },
      ],
    ],
    ["a role nobody has changes nothing", set(["ghost", "a::b"]), set(), []],
  ])("%s", (_, before, after, expected) => {
    expect(planDiff(members, before, after)).toEqual(expected);
  });

  it("lists the cells an edit adds and removes", () => {
    expect(cellChanges(set(["a", "x::y"], ["b", "x::y"]), set(["b", "x::y"], ["c", "x::z"]))).toEqual({ added: ["c|x::z"], removed: ["a|x::y"] });
  });
});

describe("byRole", () => {
  it("groups member changes by role with counts, roles sorted", () => {
    const change = (email: string, role: string, gained: string[], lost: string[]) => ({ userId: email, email, role, gained, lost });
    expect(
      byRole([
        change("a@x", "Member", ["docs::read"], []),
        change("b@x", "Admin", [], ["audit::read"]),
        change("c@x", "Member", ["docs::read"], []),
      ]),
    ).toEqual([
      { role: "Admin", members: 1, emails: ["b@x"], gained: [], lost: ["audit::read"] },
      { role: "Member", members: 2, emails: ["a@x", "c@x"], gained: ["docs::read"], lost: [] },
    ]);
    expect(byRole([])).toEqual([]);
  });
});

// Plain data (no server-only import): scripts and the start banner read it too.

/** The base roles every install has, highest rank first. Renameable, never deletable. */
export const BASE_ROLES = [
  { key: "owner", name: "Owner", rank: 300 },
  { key: "admin", name: "Admin", rank: 200 },
  { key: "member", name: "Member", rank: 100 },
] as const;
export type BaseRoleKey = (typeof BASE_ROLES)[number]["key"];

/** What changes for each member when an org moves from one plan (role mapping) to another. Pure. */

export type Cells = ReadonlySet<string>; // `${roleId}|${permissionId}`

export interface MemberRole {
  userId: string;
  email: string;
  roleId: string;
  roleName: string;
}

export interface MemberChange {
  userId: string;
  email: string;
  role: string;
  gained: string[];
  lost: string[];
}

export const cell = (roleId: string, permissionId: string) => `${roleId}|${permissionId}`;

function permissionsOf(cells: Cells, roleId: string): Set<string> {
  const out = new Set<string>();
  for (const c of cells) {
    const [r, p] = c.split("|");
    if (r === roleId && p) out.add(p);
  }
  return out;
}

/** Members whose permissions change, with what they gain and lose (sorted); unchanged members are left out. */
export function planDiff(members: readonly MemberRole[], before: Cells, after: Cells): MemberChange[] {
  const changes: MemberChange[] = [];
  for (const m of members) {
    const was = permissionsOf(before, m.roleId);
    const will = permissionsOf(after, m.roleId);
    const gained = [...will].filter((p) => !was.has(p)).sort();
    const lost = [...was].filter((p) => !will.has(p)).sort();
    if (gained.length || lost.length) changes.push({ userId: m.userId, email: m.email, role: m.roleName, gained, lost });
  }
  return changes.sort((a, b) => a.email.localeCompare(b.email));
}

/** Cells added and removed between two versions of one mapping, for the audit event of an edit. */
export function cellChanges(before: Cells, after: Cells): { added: string[]; removed: string[] } {
  return {
    added: [...after].filter((c) => !before.has(c)).sort(),
    removed: [...before].filter((c) => !after.has(c)).sort(),
  };
}

/** The members of one role who gain and lose the same permissions (a role's members always do). */
export interface RoleImpact {
  role: string;
  members: number;
  emails: string[];
  gained: string[];
  lost: string[];
}

/** Member changes grouped by role (members of a role change alike), roles in first-seen order of the sorted input. */
export function byRole(changes: readonly MemberChange[]): RoleImpact[] {
  const groups = new Map<string, RoleImpact>();
  for (const c of changes) {
    const key = `${c.role}\u0000${c.gained.join(",")}\u0000${c.lost.join(",")}`;
    const group = groups.get(key) ?? { role: c.role, members: 0, emails: [], gained: c.gained, lost: c.lost };
    group.members += 1;
    group.emails.push(c.email);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.role.localeCompare(b.role));
}

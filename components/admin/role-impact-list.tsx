import { Badge } from "@/components/ui/badge";

export interface RoleImpactView {
  role: string;
  members: number;
  emails: string[];
  gained: string[];
  lost: string[];
}

const people = (n: number) => (n === 1 ? "1 member" : `${n} members`);

/** Who gains and loses what, one line per role: "Member · 3 members — gains billing::manage". */
export function RoleImpactList({ roles, showEmails = false }: { roles: RoleImpactView[]; showEmails?: boolean }) {
  return (
    <ul className="grid gap-2" aria-label="Changes by role">
      {roles.map((r) => (
        <li key={`${r.role}|${r.gained.join(",")}|${r.lost.join(",")}`} className="grid gap-1 rounded-md border p-3 text-sm" data-testid={`role-impact-${r.role}`}>
          <div className="flex flex-wrap items-center gap-2">
            <Badge variant="secondary">{r.role}</Badge>
            <span>{people(r.members)}</span>
          </div>
          {r.gained.length > 0 && (
            <p className="break-words">
              <span className="font-medium text-success">Gain</span> <span className="font-mono text-xs">{r.gained.join(", ")}</span>
            </p>
          )}
          {r.lost.length > 0 && (
            <p className="break-words">
              <span className="font-medium text-destructive">Lose</span> <span className="font-mono text-xs">{r.lost.join(", ")}</span>
            </p>
          )}
          {showEmails && <p className="break-words text-muted-foreground">{r.emails.join(", ")}</p>}
        </li>
      ))}
    </ul>
  );
}

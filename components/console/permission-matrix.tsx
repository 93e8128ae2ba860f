import { Check, Minus } from "lucide-react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** A read-only roles × permissions table. */
export function PermissionMatrix({
  roles,
  permissions,
  granted,
}: {
  roles: { id: string; name: string }[];
  permissions: { id: string; description: string; deprecated: boolean }[];
  granted: string[];
}) {
  const cells = new Set(granted);
  return (
    <Table data-testid="permission-matrix">
      <TableHeader>
        <TableRow>
          <TableHead>Permission</TableHead>
          {roles.map((r) => (
            <TableHead key={r.id} className="text-center">
              {r.name}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {permissions.map((p) => (
          <TableRow key={p.id}>
            <TableCell>
              <div className="font-mono text-xs">{p.id}</div>
              <div className="text-muted-foreground">{p.description}</div>
            </TableCell>
            {roles.map((r) => {
              const has = cells.has(`${r.id}|${p.id}`);
              return (
                <TableCell key={r.id} className="text-center" aria-label={`${r.name} ${has ? "has" : "does not have"} ${p.id}`}>
                  {has ? <Check className="mx-auto size-4 text-success" aria-hidden /> : <Minus className="mx-auto size-4 text-muted-foreground" aria-hidden />}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

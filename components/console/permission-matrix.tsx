import { Check, Minus } from "lucide-react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export interface MatrixProps {
  roles: { id: string; name: string }[];
  permissions: { id: string; description: string; deprecated: boolean }[];
  /** `${roleId}|${permissionId}` of every granted cell. */
  granted: Iterable<string>;
  /** Draw a cell yourself (e.g. a checkbox to edit it); by default a read-only mark. */
  renderCell?: (cell: { key: string; has: boolean; label: string }) => React.ReactNode;
  testId?: string;
}

/** A roles × permissions table: read-only, or editable through `renderCell`. */
export function PermissionMatrix({ roles, permissions, granted, renderCell, testId = "permission-matrix" }: MatrixProps) {
  const cells = new Set(granted);
  return (
    <Table data-testid={testId}>
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
              <div className="font-mono text-xs">
                {p.id}
                {p.deprecated && <span className="ml-2 text-muted-foreground">(deprecated)</span>}
              </div>
              <div className="text-muted-foreground">{p.description}</div>
            </TableCell>
            {roles.map((r) => {
              const key = `${r.id}|${p.id}`;
              const has = cells.has(key);
              const label = `${r.name}: ${p.id}`;
              return (
                <TableCell key={r.id} className="text-center" aria-label={renderCell ? undefined : `${r.name} ${has ? "has" : "does not have"} ${p.id}`}>
                  {renderCell ? (
                    renderCell({ key, has, label })
                  ) : has ? (
                    <Check className="mx-auto size-4 text-success" aria-hidden />
                  ) : (
                    <Minus className="mx-auto size-4 text-muted-foreground" aria-hidden />
                  )}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

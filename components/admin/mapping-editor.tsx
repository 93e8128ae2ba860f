"use client";

import { useState } from "react";
import { PermissionMatrix } from "@/components/console/permission-matrix";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";
import { InlineField } from "@/components/console/inline-field";

interface Props {
  mapping: { id: string; name: string };
  roles: { id: string; name: string }[];
  permissions: { id: string; description: string; deprecated: boolean }[];
  granted: string[];
}

/** Edit one plan as a roles × permissions grid of checkboxes; saving replaces the matrix. */
export function MappingEditor({ mapping, roles, permissions, granted }: Props) {
  const [cells, setCells] = useState(() => new Set(granted));
  const dirty = cells.size !== granted.length || granted.some((g) => !cells.has(g));
  const save = useAdminMutation(
    (c: Set<string>) => ({
      url: `/api/admin/mappings/${mapping.id}/cells`,
      method: "PUT",
      json: { cells: [...c].map((k) => ({ roleId: k.split("|")[0], permissionId: k.split("|")[1] })) },
    }),
    (_i, r: { added: string[]; removed: string[] }) => `Saved: ${r.added.length} added, ${r.removed.length} removed`,
  );
  const rename = useAdminMutation((name: string) => ({ url: `/api/admin/mappings/${mapping.id}`, method: "PATCH", json: { name } }), "Renamed");
  const toggle = (key: string, on: boolean) =>
    setCells((prev) => {
      const next = new Set(prev);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  return (
    <div className="grid gap-4">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate(String(new FormData(e.currentTarget).get("name") ?? ""));
        }}
      >
        <InlineField label="Plan name" htmlFor="plan-name">
          <Input id="plan-name" name="name" defaultValue={mapping.name} className="sm:w-64" />
        </InlineField>
        <Button variant="outline" type="submit">
          Rename
        </Button>
      </form>
      <PermissionMatrix
        testId="mapping-matrix"
        roles={roles}
        permissions={permissions}
        granted={cells}
        renderCell={({ key, has, label }) => <Checkbox checked={has} onCheckedChange={(v) => toggle(key, v === true)} aria-label={label} />}
      />
      <Button className="justify-self-start" disabled={!dirty || save.isPending} onClick={() => save.mutate(cells)}>
        Save matrix
      </Button>
    </div>
  );
}

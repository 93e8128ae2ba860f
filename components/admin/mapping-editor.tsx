"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { PermissionMatrix } from "@/components/console/permission-matrix";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { RoleImpactList, type RoleImpactView } from "./role-impact-list";

interface Impact {
  orgs: { slug: string; name: string; members: number; roles: RoleImpactView[] }[];
  unaffectedOrgs: number;
}

const cellsBody = (c: Set<string>) => ({ cells: [...c].map((k) => ({ roleId: k.split("|")[0], permissionId: k.split("|")[1] })) });
import { InlineField } from "@/components/console/inline-field";

interface Props {
  mapping: { id: string; name: string };
  roles: { id: string; name: string }[];
  permissions: { id: string; description: string; deprecated: boolean }[];
  granted: string[];
}

/**
 * Edit one plan as a roles × permissions grid of checkboxes; saving replaces the matrix. When orgs are
 * on the plan and someone's permissions would change, saving first shows which orgs and how many
 * members gain or lose what, by role, and waits for a second yes.
 */
export function MappingEditor({ mapping, roles, permissions, granted }: Props) {
  const [cells, setCells] = useState(() => new Set(granted));
  const dirty = cells.size !== granted.length || granted.some((g) => !cells.has(g));
  const save = useAdminMutation(
    (c: Set<string>) => ({
      url: `/api/admin/mappings/${mapping.id}/cells`,
      method: "PUT",
      json: cellsBody(c),
    }),
    (_i, r: { added: string[]; removed: string[] }) => `Saved: ${r.added.length} added, ${r.removed.length} removed`,
  );
  const rename = useAdminMutation((name: string) => ({ url: `/api/admin/mappings/${mapping.id}`, method: "PATCH", json: { name } }), "Renamed");
  const preview = useMutation<Impact, ApiError, Set<string>>({
    mutationFn: (c) => fetchJson(`/api/admin/mappings/${mapping.id}/cells/preview`, { method: "POST", json: cellsBody(c) }),
    onSuccess: (impact, c) => {
      if (impact.orgs.length === 0) save.mutate(c, { onSuccess: () => preview.reset() });
    },
  });
  const impact = preview.data && preview.data.orgs.length > 0 ? preview.data : null;
  const members = impact?.orgs.reduce((n, o) => n + o.members, 0) ?? 0;
  // The impact appears below the grid: move the focus there so that it is seen (and read out).
  const impactTitle = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (impact) impactTitle.current?.focus();
  }, [impact]);
  const toggle = (key: string, on: boolean) => {
    preview.reset();
    setCells((prev) => {
      const next = new Set(prev);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  };
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
      {!impact && (
        <Button className="justify-self-start" disabled={!dirty || save.isPending || preview.isPending} onClick={() => preview.mutate(cells)}>
          {preview.isPending ? "Checking who this affects…" : "Save matrix"}
        </Button>
      )}
      {preview.error && (
        <p className="text-sm text-destructive" role="alert">
          {preview.error.message}
        </p>
      )}
      {impact && (
        <section className="grid gap-3 rounded-lg border border-amber-500/60 p-4" aria-labelledby="matrix-impact-title" data-testid="matrix-impact">
          <h2 id="matrix-impact-title" className="font-semibold" tabIndex={-1} ref={impactTitle}>
            Saving changes permissions in {impact.orgs.length === 1 ? "1 organization" : `${impact.orgs.length} organizations`} ({members === 1 ? "1 member" : `${members} members`})
          </h2>
          {impact.orgs.map((o) => (
            <div key={o.slug} className="grid gap-2" data-testid={`matrix-impact-${o.slug}`}>
              <h3 className="text-sm font-medium">
                {o.name} <span className="font-normal text-muted-foreground">· {o.members === 1 ? "1 member" : `${o.members} members`}</span>
              </h3>
              <RoleImpactList roles={o.roles} />
            </div>
          ))}
          {impact.unaffectedOrgs > 0 && (
            <p className="text-sm text-muted-foreground">
              {impact.unaffectedOrgs === 1 ? "1 other organization on this plan is" : `${impact.unaffectedOrgs} other organizations on this plan are`} not affected.
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button disabled={save.isPending} onClick={() => save.mutate(cells, { onSuccess: () => preview.reset() })}>
              Save and apply to {impact.orgs.length === 1 ? "1 organization" : `${impact.orgs.length} organizations`}
            </Button>
            <Button variant="outline" onClick={() => preview.reset()}>
              Keep editing
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}

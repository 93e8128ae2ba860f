"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { RoleImpactList, type RoleImpactView } from "./role-impact-list";

interface Preview {
  from: string;
  to: string;
  changes: { userId: string; email: string; role: string; gained: string[]; lost: string[] }[];
  roles: RoleImpactView[];
}

/** Move an org to another plan: preview who gains and loses what, then confirm. */
export function OrgPlanSwitcher({ slug, current, mappings }: { slug: string; current: string; mappings: { id: string; name: string }[] }) {
  const [target, setTarget] = useState(mappings.find((m) => m.id !== current)?.id ?? "");
  const preview = useMutation<Preview, ApiError, string>({
    mutationFn: (mappingId) => fetchJson(`/api/admin/orgs/${slug}/subscription?mappingId=${mappingId}`),
  });
  const subscribe = useAdminMutation(
    (mappingId: string) => ({ url: `/api/admin/orgs/${slug}/subscription`, method: "PUT", json: { mappingId } }),
    (_i, r: Preview) => `${slug} moved from ${r.from} to ${r.to}`,
  );
  return (
    <div className="grid gap-3" data-testid={`plan-switcher-${slug}`}>
      <div className="flex flex-wrap items-center gap-2">
        <select
          aria-label={`New plan for ${slug}`}
          className="h-9 rounded-md border bg-background px-2 text-sm"
          value={target}
          onChange={(e) => {
            setTarget(e.target.value);
            preview.reset();
          }}
        >
          {mappings.map((m) => (
            <option key={m.id} value={m.id} disabled={m.id === current}>
              {m.name}
              {m.id === current ? " (current)" : ""}
            </option>
          ))}
        </select>
        <Button variant="outline" size="sm" disabled={!target || target === current} onClick={() => preview.mutate(target)}>
          Preview change
        </Button>
      </div>
      {preview.error && <p className="text-sm text-destructive">{preview.error.message}</p>}
      {preview.data && (
        <div className="grid gap-2" data-testid="plan-preview">
          <p className="text-sm">
            {preview.data.from} → {preview.data.to}: {preview.data.changes.length === 0 ? "no member's permissions change." : `${preview.data.changes.length === 1 ? "1 member" : `${preview.data.changes.length} members`} affected, by role:`}
          </p>
          {preview.data.roles.length > 0 && <RoleImpactList roles={preview.data.roles} />}
          {preview.data.changes.length > 0 && (
            <details className="text-sm">
              <summary className="cursor-pointer">Every member</summary>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Member</TableHead>
                    <TableHead>Gains</TableHead>
                    <TableHead>Loses</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {preview.data.changes.map((c) => (
                    <TableRow key={c.userId}>
                      <TableCell>
                        {c.email} <Badge variant="secondary">{c.role}</Badge>
                      </TableCell>
                      <TableCell className="whitespace-normal font-mono text-xs text-success">{c.gained.join(", ") || "—"}</TableCell>
                      <TableCell className="whitespace-normal font-mono text-xs text-destructive">{c.lost.join(", ") || "—"}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </details>
          )}
          <Button className="justify-self-start" disabled={subscribe.isPending} onClick={() => subscribe.mutate(target, { onSuccess: () => preview.reset() })}>
            Move {slug} to {preview.data.to}
          </Button>
        </div>
      )}
    </div>
  );
}

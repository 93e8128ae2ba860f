"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";

/** The default plan's badge, or a button that makes this plan the one new orgs get. */
export function DefaultPlanButton({ mapping }: { mapping: { id: string; name: string; isDefault: boolean } }) {
  const makeDefault = useAdminMutation(() => ({ url: `/api/admin/mappings/${mapping.id}`, method: "PATCH", json: { isDefault: true } }), `New orgs now get ${mapping.name}`);
  if (mapping.isDefault) return <Badge variant="secondary">Default for new orgs</Badge>;
  return (
    <Button size="sm" variant="outline" disabled={makeDefault.isPending} onClick={() => makeDefault.mutate(undefined)} aria-label={`Make default: ${mapping.name} becomes the plan of new organizations`}>
      Make default
    </Button>
  );
}

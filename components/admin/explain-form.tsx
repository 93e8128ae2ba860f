"use client";

import { useMutation } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";

/** "Why does user X have (or not have) permission Y in org Z?" */
export function ExplainForm() {
  const explain = useMutation<{ allowed: boolean; reason: string }, ApiError, Record<string, string>>({
    mutationFn: (q) => fetchJson(`/api/admin/explain?${new URLSearchParams(q)}`),
  });
  return (
    <div className="grid gap-4">
      <form
        className="grid max-w-md gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          explain.mutate({ email: String(f.get("email")), org: String(f.get("org")), permission: String(f.get("permission")) });
        }}
      >
        <FormField label="User email" id="explain-email">
          <Input id="explain-email" name="email" type="email" required />
        </FormField>
        <FormField label="Organization slug" id="explain-org">
          <Input id="explain-org" name="org" required />
        </FormField>
        <FormField label="Permission" id="explain-permission">
          <Input id="explain-permission" name="permission" placeholder="reports::export" required />
        </FormField>
        <Button type="submit" className="justify-self-start">
          Explain
        </Button>
      </form>
      {explain.error && <p className="text-sm text-destructive">{explain.error.message}</p>}
      {explain.data && (
        <p aria-live="polite" data-testid="explanation">
          <Badge variant={explain.data.allowed ? "success" : "destructive"}>{explain.data.allowed ? "allowed" : "not allowed"}</Badge> {explain.data.reason}
        </p>
      )}
    </div>
  );
}

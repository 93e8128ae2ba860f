"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { type SupportAccessDto, useSupportAccess } from "@/lib/queries/audit/use-support-access";

const ALL = "__all__";

/** Support staff say which org they open and why (e.g. a ticket id) before any event is shown. */
export function SupportAccessForm({
  orgs,
  initialOrg,
  onGranted,
}: {
  orgs: { slug: string; name: string }[];
  initialOrg: string | null;
  onGranted: (grant: SupportAccessDto) => void;
}) {
  // An org the list does not hold (a stale link) falls back to "All organizations", never a blank select.
  const [org, setOrg] = useState(initialOrg && orgs.some((o) => o.slug === initialOrg) ? initialOrg : ALL);
  const orgLabel = orgs.find((o) => o.slug === org)?.name ?? "All organizations";
  const [reason, setReason] = useState("");
  const access = useSupportAccess();
  const error = access.error?.message;
  return (
    <Card className="max-w-xl">
      <CardHeader>
        <CardTitle>
          <h2>Why are you opening this audit log?</h2>
        </CardTitle>
        <CardDescription>Your reason and this view are recorded in the organization&apos;s own audit log.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            access.mutate({ org: org === ALL ? undefined : org, reason }, { onSuccess: onGranted });
          }}
        >
          <div className="grid gap-2">
            <label htmlFor="access-org" className="text-sm font-medium">
              Organization
            </label>
            <Select value={org} onValueChange={setOrg}>
              <SelectTrigger id="access-org" className="w-full">
                <SelectValue>{orgLabel}</SelectValue>
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>All organizations</SelectItem>
                {orgs.map((o) => (
                  <SelectItem key={o.slug} value={o.slug}>
                    {o.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <FormField id="access-reason" label="Reason (ticket id)" error={error}>
            <Input
              {...fieldA11y("access-reason", error)}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="SUP-1234: customer asks what the Cursor agent did"
              required
              minLength={3}
            />
          </FormField>
          <Button type="submit" disabled={access.isPending}>
            {access.isPending ? "Opening…" : "Open audit log"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

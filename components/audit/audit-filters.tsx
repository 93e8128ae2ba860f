"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { RANGE_LABELS } from "@/lib/audit/filter-params";

const ACTOR_TYPE_LABELS: Record<string, string> = { user: "User", agent: "Agent", api_key: "API key", system: "System", support: "Support" };

export type FilterValues = Partial<Record<"actor" | "client" | "obo" | "action" | "outcome" | "actorType" | "target" | "q" | "range" | "from" | "to", string>>;

export const ACTION_SUGGESTIONS = [
  "login.*",
  "session.*",
  "member.*",
  "invitation.*",
  "role.*",
  "org.*",
  "oauth.*",
  "mcp.*",
  "audit.*",
  "support.*",
  "platform.*",
];

const ANY = "any";

/** ISO → the value a datetime-local input shows (local time, minutes). */
function toLocalInput(iso?: string) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function fromLocalInput(v: string) {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function Field({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
    </div>
  );
}

/** The explorer's filter form. Applying it writes the filter to the URL (shareable). */
export function AuditFilters({ value, onApply }: { value: FilterValues; onApply: (v: FilterValues) => void }) {
  const [draft, setDraft] = useState<FilterValues>(value);
  const set = (k: keyof FilterValues) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const range = draft.range ?? (draft.from || draft.to ? "custom" : "all");

  return (
    <form
      aria-label="Audit filters"
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const next = { ...draft };
        if (range !== "custom") {
          delete next.from;
          delete next.to;
        }
        next.range = range === "all" ? undefined : range;
        onApply(next);
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="f-actor" label="Actor">
          <Input id="f-actor" placeholder="Email, name or id" value={draft.actor ?? ""} onChange={set("actor")} />
        </Field>
        <Field id="f-client" label="Agent / client">
          <Input id="f-client" placeholder="Client name or id" value={draft.client ?? ""} onChange={set("client")} />
        </Field>
        <Field id="f-obo" label="On behalf of">
          <Input id="f-obo" placeholder="User email" value={draft.obo ?? ""} onChange={set("obo")} />
        </Field>
        <Field id="f-action" label="Action">
          <Input id="f-action" list="f-action-list" placeholder="member.* or member.invited" value={draft.action ?? ""} onChange={set("action")} />
          <datalist id="f-action-list">
            {ACTION_SUGGESTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </Field>
        <Field id="f-outcome" label="Outcome">
          <Select value={draft.outcome || ANY} onValueChange={(v) => setDraft((d) => ({ ...d, outcome: v === ANY ? undefined : v }))}>
            <SelectTrigger id="f-outcome" className="w-full">
              <SelectValue>{draft.outcome ? draft.outcome[0]!.toUpperCase() + draft.outcome.slice(1) : "Any outcome"}</SelectValue>
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY}>Any outcome</SelectItem>
              <SelectItem value="success">Success</SelectItem>
              <SelectItem value="failure">Failure</SelectItem>
              <SelectItem value="denied">Denied</SelectItem>
            </SelectContent>
          </Select>
        </Field>
        <Field id="f-actor-type" label="Actor type">
          <Select value={draft.actorType || ANY} onValueChange={(v) => setDraft((d) => ({ ...d, actorType: v === ANY ? undefined : v }))}>
            <SelectTrigger id="f-actor-type" className="w-full">
              <SelectValue>{ACTOR_TYPE_LABELS[draft.actorType ?? ""] ?? "Any actor"}</SelectValue>
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY}>Any actor</SelectItem>
              <SelectItem value="user">User</SelectItem>
              <SelectItem value="agent">Agent</SelectItem>
              <SelectItem value="api_key">API key</SelectItem>
              <SelectItem value="system">System</SelectItem>
              <SelectItem value="support">Support</SelectItem>
            </SelectContent>
          </Select>
        </Field>
        <Field id="f-target" label="Target id">
          <Input id="f-target" value={draft.target ?? ""} onChange={set("target")} />
        </Field>
        <Field id="f-q" label="Search text">
          <Input id="f-q" type="search" placeholder="Names, actions, request id…" value={draft.q ?? ""} onChange={set("q")} />
        </Field>
        <Field id="f-range" label="Time range">
          <Select value={range} onValueChange={(v) => setDraft((d) => ({ ...d, range: v }))}>
            <SelectTrigger id="f-range" className="w-full">
              <SelectValue>{RANGE_LABELS[range as keyof typeof RANGE_LABELS]}</SelectValue>
            </SelectTrigger>
            <SelectContent>
              {(["1h", "24h", "7d", "30d", "all", "custom"] as const).map((r) => (
                <SelectItem key={r} value={r}>
                  {RANGE_LABELS[r]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </Field>
        {range === "custom" && (
          <>
            <Field id="f-from" label="From">
              <Input
                id="f-from"
                type="datetime-local"
                value={toLocalInput(draft.from)}
                onChange={(e) => setDraft((d) => ({ ...d, from: fromLocalInput(e.target.value) }))}
              />
            </Field>
            <Field id="f-to" label="To">
              <Input
                id="f-to"
                type="datetime-local"
                value={toLocalInput(draft.to)}
                onChange={(e) => setDraft((d) => ({ ...d, to: fromLocalInput(e.target.value) }))}
              />
            </Field>
          </>
        )}
      </div>
      <div className="flex gap-2">
        <Button type="submit">Apply filters</Button>
        <Button
          type="button"
          variant="ghost"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}

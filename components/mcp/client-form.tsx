"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ClientFormInput } from "@/lib/oauth/client-schema";
import { REDIRECT_PRESETS } from "@/lib/oauth/presets";
import { SCOPES } from "@/lib/oauth/scopes";

export type FormResult<T = unknown> =
  { ok: true; data: T } | { ok: false; error: { message: string; fields?: Record<string, string> } };

/**
 * Register or edit an OAuth client: tick named presets (Cursor, Claude …) instead of typing
 * redirect URIs, or add URIs by hand. The server validates again with the same schema.
 */
export function ClientForm({
  initial,
  editing = false,
  submitLabel,
  onSubmit,
}: {
  initial?: Partial<ClientFormInput>;
  editing?: boolean;
  submitLabel: string;
  onSubmit: (input: ClientFormInput) => Promise<FormResult>;
}) {
  const [pending, startTransition] = useTransition();
  const [presets, setPresets] = useState<string[]>(initial?.presets ?? []);
  const [scopes, setScopes] = useState<string[]>(initial?.allowedScopes ?? ["profile"]);
  const [type, setType] = useState<"public" | "confidential">(initial?.type ?? "public");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const toggle = (list: string[], v: string, on: boolean) =>
    on ? [...new Set([...list, v])] : list.filter((x) => x !== v);

  return (
    <form
      className="grid gap-5"
      data-testid="client-form"
      onSubmit={(e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        const input: ClientFormInput = {
          name: String(fd.get("name") ?? ""),
          type,
          presets: presets as ClientFormInput["presets"],
          presetParams: { callback_id: String(fd.get("callback_id") ?? "") },
          redirectUris: String(fd.get("redirectUris") ?? "")
            .split(/\r?\n/)
            .map((s) => s.trim())
            .filter(Boolean),
          allowedScopes: scopes as ClientFormInput["allowedScopes"],
          accessTokenTtlSeconds: Number(fd.get("ttl") ?? 3600),
        };
        startTransition(async () => {
          const result = await onSubmit(input);
          setErrors(result.ok ? {} : { _: result.error.message, ...(result.error.fields ?? {}) });
        });
      }}
    >
      <FormField label="Name" id="client-name" error={errors.name}>
        <Input
          name="name"
          required
          maxLength={80}
          defaultValue={initial?.name}
          {...fieldA11y("client-name", errors.name)}
        />
      </FormField>

      {!editing && (
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">Client type</legend>
          {(["public", "confidential"] as const).map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <input type="radio" name="type" value={t} checked={type === t} onChange={() => setType(t)} />
              {t === "public"
                ? "Public (desktop, CLI or browser app; PKCE, no secret)"
                : "Confidential (a server that can keep a secret)"}
            </label>
          ))}
        </fieldset>
      )}

      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Redirect presets</legend>
        <p className="text-xs text-muted-foreground">
          Tick the applications that will connect; their redirect URIs are added for you.
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          {REDIRECT_PRESETS.map((p) => (
            <div key={p.id} className="grid gap-1">
              <div className="flex items-center gap-2">
                <Checkbox
                  id={`preset-${p.id}`}
                  checked={presets.includes(p.id)}
                  onCheckedChange={(v) => setPresets((list) => toggle(list, p.id, v === true))}
                />
                <Label htmlFor={`preset-${p.id}`}>{p.name}</Label>
              </div>
              <p className="pl-6 text-xs break-all text-muted-foreground">
                {p.redirectUris.join(", ")}
                {p.anyPortNote ? ` (${p.anyPortNote})` : ""}
              </p>
              {p.param && presets.includes(p.id) && (
                <div className="pl-6">
                  <FormField label={p.param.label} id={`param-${p.id}`}>
                    <Input
                      name={p.param.name}
                      required
                      pattern={p.param.pattern}
                      defaultValue={initial?.presetParams?.[p.param.name]}
                    />
                  </FormField>
                </div>
              )}
            </div>
          ))}
        </div>
        {errors.presets && <p className="text-sm text-destructive">{errors.presets}</p>}
      </fieldset>

      <FormField
        label="Other redirect URIs"
        id="client-redirects"
        description="One per line. https, loopback (any port) or cursor:, vscode:, vscode-insiders: links."
        error={
          errors.redirectUris ?? Object.entries(errors).find(([k]) => k.startsWith("redirectUris."))?.[1]
        }
      >
        <Textarea
          name="redirectUris"
          rows={3}
          defaultValue={initial?.redirectUris?.join("\n")}
          {...fieldA11y("client-redirects", errors.redirectUris)}
        />
      </FormField>

      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Allowed scopes</legend>
        {Object.entries(SCOPES).map(([s, words]) => (
          <div key={s} className="flex items-center gap-2">
            <Checkbox
              id={`scope-${s}`}
              checked={scopes.includes(s)}
              onCheckedChange={(v) => setScopes((list) => toggle(list, s, v === true))}
            />
            <Label htmlFor={`scope-${s}`}>
              {s} <span className="font-normal text-muted-foreground">— {words}</span>
            </Label>
          </div>
        ))}
        {errors.allowedScopes && <p className="text-sm text-destructive">{errors.allowedScopes}</p>}
      </fieldset>

      <FormField label="Access token lifetime (seconds)" id="client-ttl" error={errors.accessTokenTtlSeconds}>
        <Input
          name="ttl"
          type="number"
          min={60}
          max={86400}
          defaultValue={Number(initial?.accessTokenTtlSeconds ?? 3600)}
          className="max-w-40"
        />
      </FormField>

      {errors._ && (
        <p className="text-sm text-destructive" data-testid="client-form-error">
          {errors._}
        </p>
      )}
      <Button type="submit" disabled={pending} className="justify-self-start">
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}

import { z } from "zod";
import { expandPresets, REDIRECT_PRESETS } from "./presets";
import { checkRedirectUri } from "./redirect-policy";
import { ALL_SCOPES } from "./scopes";

const presetIds = REDIRECT_PRESETS.map((p) => p.id) as [string, ...string[]];

/** The registration form (console) and its server-side check: one schema for both. */
export const clientFormSchema = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(80),
    type: z.enum(["public", "confidential"]),
    presets: z.array(z.enum(presetIds)).max(REDIRECT_PRESETS.length).default([]),
    presetParams: z.record(z.string(), z.string().max(200)).default({}),
    redirectUris: z.array(z.string().trim()).max(30).default([]),
    allowedScopes: z.array(z.enum(ALL_SCOPES as [string, ...string[]])).min(1, "Allow at least one scope"),
    accessTokenTtlSeconds: z.coerce
      .number()
      .int()
      .min(60, "At least 60 seconds")
      .max(86400, "At most 24 hours")
      .default(3600),
  })
  .superRefine((v, ctx) => {
    v.redirectUris.forEach((uri, i) => {
      if (!uri) return;
      const check = checkRedirectUri(uri);
      if (!check.ok)
        ctx.addIssue({ code: "custom", path: ["redirectUris", i], message: `${uri} ${check.reason}` });
    });
    const expanded = expandPresets(v.presets, v.presetParams);
    if (!expanded.ok) ctx.addIssue({ code: "custom", path: ["presets"], message: expanded.message });
    else if (!expanded.uris.length && !v.redirectUris.some(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["redirectUris"],
        message: "Tick a preset or enter at least one redirect URI",
      });
    }
  });

export type ClientFormInput = z.input<typeof clientFormSchema>;
export type ClientForm = z.output<typeof clientFormSchema>;

/** Every redirect URI of a form: the presets' URIs then the typed ones, without duplicates. */
export function redirectUrisOf(form: ClientForm): string[] {
  const expanded = expandPresets(form.presets, form.presetParams);
  return [...new Set([...(expanded.ok ? expanded.uris : []), ...form.redirectUris.filter(Boolean)])];
}

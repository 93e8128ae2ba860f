import { z } from "zod";

/**
 * The explorer's filter as it lives in the URL (shareable). Pure: used by the browser to build
 * links and by the server to validate them. The org to search is never one of these for tenant
 * admins: it comes from the route's slug and the session.
 */
export const RANGE_PRESETS = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const RANGE_LABELS: Record<RangePreset | "all" | "custom", string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  all: "All time",
  custom: "Custom range",
};

const text = (max: number) => z.string().trim().max(max).optional().transform((v) => v || undefined);
const isoDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "must be a date and time" });
      return z.NEVER;
    }
    return d.toISOString();
  });

export const auditFilterParamsSchema = z.object({
  actor: text(320),
  client: text(200),
  obo: text(320),
  action: z
    .string()
    .trim()
    .max(120)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/, 'must look like "member.invited" or "member.*"')
    .optional()
    .or(z.literal("").transform(() => undefined)),
  outcome: z.enum(["success", "failure", "denied"]).optional().or(z.literal("").transform(() => undefined)),
  actorType: z.enum(["user", "agent", "api_key", "system", "support"]).optional().or(z.literal("").transform(() => undefined)),
  target: text(200),
  q: text(200),
  range: z.enum(["1h", "24h", "7d", "30d", "all", "custom"]).optional(),
  from: isoDate,
  to: isoDate,
});
export type AuditFilterParams = z.infer<typeof auditFilterParamsSchema>;

export const FILTER_KEYS = ["actor", "client", "obo", "action", "outcome", "actorType", "target", "q", "range", "from", "to"] as const;

/** Read the filter keys from URL search params (unknown keys are ignored). */
export function readFilterParams(sp: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = sp.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** The filter as URL search params, without empty values. */
export function toSearchParams(p: Partial<Record<(typeof FILTER_KEYS)[number], string | undefined>>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = p[k];
    if (v) sp.set(k, v);
  }
  return sp;
}

/** The time window a filter means at `now`: a preset counts back from now; custom uses from/to. */
export function timeBounds(p: AuditFilterParams, now = Date.now()): { from: Date | null; to: Date | null } {
  const range = p.range ?? (p.from || p.to ? "custom" : "all");
  if (range === "all") return { from: null, to: null };
  if (range === "custom") return { from: p.from ? new Date(p.from) : null, to: p.to ? new Date(p.to) : null };
  return { from: new Date(now - RANGE_PRESETS[range]), to: null };
}

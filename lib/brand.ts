import { z } from "zod";

/**
 * The brand: product name, logo, accent colour and support link, set in one place (environment
 * variables, README "Sign-in kit") and used by the sign-in pages, the mails and the console.
 */
export interface Brand {
  productName: string;
  /** An absolute https URL or a path on this server ("/logo.svg"); null: the name alone. */
  logoUrl: string | null;
  /** #rrggbb; null: the theme's own primary colour. */
  accentColor: string | null;
  /** Black or white, whichever reads better on the accent colour. */
  accentForeground: string | null;
  /** Where people get help (https: or mailto:); null: no link. */
  supportUrl: string | null;
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const url = (what: string, schemes: string[]) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(2000)
      .refine((v) => {
        if (v.startsWith("/") && !v.startsWith("//")) return true;
        try {
          return schemes.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, `must be a path starting with / or a ${schemes.map((s) => s.replace(":", "")).join(" or ")} URL (${what})`)
      .optional(),
  );

const schema = z.object({
  BRAND_PRODUCT_NAME: z.preprocess(blankToUndefined, z.string().trim().min(1).max(60).default("Gatehouse")),
  BRAND_LOGO_URL: url("logo", ["https:", "http:"]),
  BRAND_ACCENT_COLOR: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^#[0-9a-f]{6}$/i, "must be a colour like #4f46e5")
      .optional(),
  ),
  BRAND_SUPPORT_URL: url("support link", ["https:", "http:", "mailto:"]),
});

/** Relative luminance (WCAG) of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Parses the brand variables; throws naming the variable that is wrong. */
export function parseBrand(env: Record<string, string | undefined>): Brand {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid brand setting ${String(issue.path[0])}: ${issue.message}`);
  }
  const v = parsed.data;
  const accent = v.BRAND_ACCENT_COLOR?.toLowerCase() ?? null;
  return {
    productName: v.BRAND_PRODUCT_NAME,
    logoUrl: v.BRAND_LOGO_URL ?? null,
    accentColor: accent,
    accentForeground: accent ? (contrastRatio(accent, "#ffffff") >= contrastRatio(accent, "#000000") ? "#ffffff" : "#000000") : null,
    supportUrl: v.BRAND_SUPPORT_URL ?? null,
  };
}

let cached: Brand | undefined;

/** The brand of this server (read once from the environment). */
export function getBrand(): Brand {
  cached ??= parseBrand(process.env);
  return cached;
}

/** CSS that puts the accent colour into the theme tokens (both colour schemes), or "" without one. */
export function brandCss(brand: Brand): string {
  if (!brand.accentColor) return "";
  const vars = `--primary:${brand.accentColor};--primary-foreground:${brand.accentForeground};--ring:${brand.accentColor};`;
  return `:root,.dark{${vars}}`;
}

import { describe, expect, it } from "vitest";
import { brandCss, contrastRatio, parseBrand } from "./brand";

describe("brand settings", () => {
  it("default to Gatehouse with no logo, accent or support link", () => {
    expect(parseBrand({})).toEqual({ productName: "Gatehouse", logoUrl: null, accentColor: null, accentForeground: null, supportUrl: null });
    expect(parseBrand({ BRAND_PRODUCT_NAME: "  ", BRAND_LOGO_URL: "" }).productName).toBe("Gatehouse");
    expect(brandCss(parseBrand({}))).toBe("");
  });

  it("take a name, a logo path or URL, an accent colour and a support link", () => {
    const brand = parseBrand({
      BRAND_PRODUCT_NAME: "Acme ID",
      BRAND_LOGO_URL: "https://cdn.acme.example/logo.svg",
      BRAND_ACCENT_COLOR: "#4F46E5",
      BRAND_SUPPORT_URL: "mailto:help@acme.example",
    });
    expect(brand).toEqual({
      productName: "Acme ID",
      logoUrl: "https://cdn.acme.example/logo.svg",
      accentColor: "#4f46e5",
      accentForeground: "#ffffff",
      supportUrl: "mailto:help@acme.example",
    });
    expect(parseBrand({ BRAND_LOGO_URL: "/logo.svg" }).logoUrl).toBe("/logo.svg");
    expect(brandCss(brand)).toBe(":root,.dark{--primary:#4f46e5;--primary-foreground:#ffffff;--ring:#4f46e5;}");
  });

  it("pick the text colour that reads best on the accent", () => {
    expect(parseBrand({ BRAND_ACCENT_COLOR: "#fde047" }).accentForeground).toBe("#000000");
    expect(parseBrand({ BRAND_ACCENT_COLOR: "#1e3a8a" }).accentForeground).toBe("#ffffff");
    for (const accent of ["#4f46e5", "#fde047", "#16a34a", "#dc2626", "#777777"]) {
      const b = parseBrand({ BRAND_ACCENT_COLOR: accent });
      expect(contrastRatio(accent, b.accentForeground!)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("refuse bad values, naming the variable", () => {
    expect(() => parseBrand({ BRAND_ACCENT_COLOR: "red" })).toThrow(/BRAND_ACCENT_COLOR: must be a colour like #4f46e5/);
    expect(() => parseBrand({ BRAND_ACCENT_COLOR: "#fff;}body{display:none" })).toThrow(/BRAND_ACCENT_COLOR/);
    expect(() => parseBrand({ BRAND_LOGO_URL: "javascript:alert(1)" })).toThrow(/BRAND_LOGO_URL/);
    expect(() => parseBrand({ BRAND_LOGO_URL: "//evil.example/x.png" })).toThrow(/BRAND_LOGO_URL/);
    expect(() => parseBrand({ BRAND_SUPPORT_URL: "ftp://x.example" })).toThrow(/BRAND_SUPPORT_URL/);
    expect(() => parseBrand({ BRAND_PRODUCT_NAME: "x".repeat(61) })).toThrow(/BRAND_PRODUCT_NAME/);
  });
});

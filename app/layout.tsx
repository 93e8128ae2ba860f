import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { ThemeScript } from "@/components/theme-script";
import { brandCss, getBrand } from "@/lib/brand";
import "./globals.css";

export function generateMetadata(): Metadata {
  const { productName } = getBrand();
  return {
    title: { default: productName, template: `%s · ${productName}` },
    description: "Sign-in, organizations, roles, MCP authorization and audit for B2B SaaS.",
  };
}

// Reading the request makes every page render per request, so its scripts carry this response's
// CSP nonce (see proxy.ts): a page prerendered at build time could not.
// Only the colour scheme is set here (a few lines of inline script): the theme provider, data
// fetching and toasts are in the layouts that need them, so the sign-in pages stay light.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const accent = brandCss(getBrand());
  return (
    <html lang="en" suppressHydrationWarning className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-dvh font-sans">
        {accent && <style nonce={nonce} data-brand-accent dangerouslySetInnerHTML={{ __html: accent }} />}
        <ThemeScript nonce={nonce} />
        {children}
      </body>
    </html>
  );
}

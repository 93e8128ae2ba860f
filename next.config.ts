import type { NextConfig } from "next";

// Static headers of every response. Pages also get the full Content-Security-Policy with a nonce,
// HSTS and a stricter Referrer-Policy where needed from proxy.ts (per request); this baseline CSP
// covers what the proxy does not see (route handlers' JSON, files).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  experimental: {
    // What Next.js may buffer of a body for the proxy (page posts only: no-JS server action forms).
    proxyClientMaxBodySize: "1mb",
  },
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pg-copy-streams", "nodemailer"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;

import type { NextConfig } from "next";
import { STATIC_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  experimental: {
    // What Next.js may buffer of a body for the proxy (page posts only: no-JS server action forms).
    proxyClientMaxBodySize: "1mb",
  },
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pg-copy-streams", "nodemailer"],
  async headers() {
    return [{ source: "/:path*", headers: STATIC_HEADERS }];
  },
};

export default nextConfig;

import { auditPublicKeyDocument } from "@/lib/audit/public-key";
import { json, route } from "@/lib/http/route";

// GET /.well-known/gatehouse-audit-key — the public key that verifies signed audit checkpoints
export const GET = route(async () =>
  json(auditPublicKeyDocument(), { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } }),
);

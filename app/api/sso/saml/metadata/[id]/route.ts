import { and, eq } from "drizzle-orm";
import { ssoConnections } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { samlSpMetadata } from "@/lib/sso/saml";
import { samlSettings } from "@/lib/sso/sign-in";

// GET /api/sso/saml/metadata/[id] — Gatehouse's SP metadata for one SAML connection (also its entity id)
export const GET = route<{ id: string }>(async ({ params }) => {
  if (!/^[0-9a-f-]{36}$/.test(params.id)) throw notFound("No such connection.");
  const [c] = await getDb().select().from(ssoConnections).where(and(eq(ssoConnections.id, params.id), eq(ssoConnections.kind, "saml")));
  if (!c) throw notFound("No such connection.");
  return new Response(samlSpMetadata(samlSettings(c)), { headers: { "content-type": "application/samlmetadata+xml; charset=utf-8", "cache-control": "public, max-age=300" } });
});

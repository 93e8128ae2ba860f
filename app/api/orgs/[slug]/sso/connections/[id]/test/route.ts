import { connection, NextResponse } from "next/server";
import { z } from "zod";
import { validate } from "@/lib/http/body";
import { withOrg } from "@/lib/http/route";
import { idpRedirectForTest } from "@/lib/sso/sign-in";

// GET /api/orgs/[slug]/sso/connections/[id]/test — start a test sign-in (popup); the answer shows the claims
export const GET = withOrg<{ slug: string; id: string }>(
  async ({ params, user, org }) => {
    await connection();
    const id = validate(z.uuid("No such connection."), params.id);
    return NextResponse.redirect(await idpRedirectForTest(org.id, user.id, id), 303);
  },
  { permission: "sso::manage" },
);

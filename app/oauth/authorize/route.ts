import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { redirectWith, validateAuthorizeRequest } from "@/lib/oauth/authorize";
import { oauthLimits } from "@/lib/oauth/limits";
import { sealConsentRequest } from "@/lib/oauth/consent-request";

const noStore = { "Cache-Control": "no-store" };

function redirect(location: string) {
  return new NextResponse(null, { status: 302, headers: { Location: location, ...noStore } });
}

// GET /oauth/authorize — validate the request (limited per IP: it may fetch a metadata document), then sign-in and consent
export const GET = route(async ({ req, context }) => {
  await oauthLimits.authorize(context);
  const url = new URL(req.url);
  const check = await validateAuthorizeRequest(url.searchParams);
  if (check.kind === "page_error") {
    const q = new URLSearchParams({ error: check.error, description: check.description });
    return redirect(`/oauth/error?${q}`);
  }
  if (check.kind === "redirect_error") {
    return redirect(
      redirectWith(check.redirectUri, {
        error: check.error,
        error_description: check.description,
        state: check.state,
      }),
    );
  }
  const user = await getCurrentUser();
  if (!user) return redirect(`/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
  const sealed = await sealConsentRequest(check.request, user.sessionIdHash);
  return redirect(`/oauth/consent?request=${encodeURIComponent(sealed)}`);
});

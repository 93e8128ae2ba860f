import { createHash, randomBytes } from "node:crypto";
import type { BrowserContext } from "@playwright/test";
import { ConsentPage } from "../pages/oauth-pages";

export const LOOPBACK_CALLBACK = "http://localhost:8787/callback";

/**
 * Run authorization code + PKCE in a signed-in browser context on the node at `nodeUrl` (whose
 * public origin, APP_URL, is `publicUrl`): open /oauth/authorize, approve on the consent screen,
 * catch the loopback callback. Returns the code and the verifier to exchange it with.
 */
export async function authorizeInBrowser(context: BrowserContext, nodeUrl: string, clientId: string, scope: string, publicUrl = nodeUrl) {
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL("/oauth/authorize", nodeUrl);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: clientId,
    redirect_uri: LOOPBACK_CALLBACK,
    scope,
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    resource: `${publicUrl}/api/mcp`,
  })) {
    authorize.searchParams.set(k, v);
  }
  let code: string | null = null;
  await context.route("http://localhost:8787/**", async (route) => {
    code = new URL(route.request().url()).searchParams.get("code");
    await route.fulfill({ status: 200, contentType: "text/plain", body: "done" });
  });
  const page = await context.newPage();
  await page.goto(authorize.toString());
  await new ConsentPage(page).approve();
  for (let i = 0; i < 100 && !code; i++) await page.waitForTimeout(100);
  await page.close();
  if (!code) throw new Error("no authorization code reached the callback");
  return { code: code as string, verifier };
}

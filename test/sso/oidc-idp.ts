import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * The customer's identity provider, for tests: panva's oidc-provider on a loopback port. The login
 * and consent screens are replaced by `next`: whoever the test says signs in next, with which amr.
 */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the next authorization request. */
  next: { accountId: string; amr?: string[] } | null;
  accounts: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startTestIdp(opts: { redirectUri: string; port?: number; clientId?: string; clientSecret?: string }): Promise<TestIdp> {
  const clientId = opts.clientId ?? "gatehouse";
  const clientSecret = opts.clientSecret ?? "a-long-client-secret-for-the-test-idp-0123456789";
  const accounts = new Map<string, Record<string, unknown>>();
  const state: TestIdp = { issuer: "", clientId, clientSecret, next: null, accounts, close: async () => {} };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  server.unref(); // never what keeps a test process alive
  const port = (server.address() as AddressInfo).port;
  state.issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(state.issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    findAccount: async (_ctx: unknown, id: string) => {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    // amr/acr in the openid scope: the ID token carries them, as Okta and Entra ID do.
    claims: { amr: null, acr: null, auth_time: null, sid: null, openid: ["sub", "amr", "acr", "auth_time"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ["test-idp-cookie-key"] },
  } as never);
  const handler = provider.callback();
  server.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return void handler(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        const who = state.next;
        if (!who) {
          await provider.interactionFinished(req, res, { error: "access_denied", error_description: "The user cancelled" }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = new provider.Grant({ accountId: who.accountId, clientId: details.params.client_id as string });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: who.accountId, amr: who.amr }, consent: { grantId } }, { mergeWithLastSubmission: false });
      } catch (err) {
        res.statusCode = 500;
        res.end(String(err));
      }
    })();
  });
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * Play the browser between our authorization URL and our redirect URI: follow the IdP's redirects
 * (keeping its cookies) and return the URL it finally sends the browser to on our side.
 */
export async function followToRedirectUri(start: URL | string, redirectUri: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(String(start));
  for (let i = 0; i < 20; i++) {
    if (url.toString().startsWith(redirectUri)) return url;
    const res = await fetch(url, { redirect: "manual", headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i2 = pair!.indexOf("=");
      const value = pair!.slice(i2 + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === "") jar.delete(pair!.slice(0, i2));
      else jar.set(pair!.slice(0, i2), value);
    }
    const location = res.headers.get("location");
    await res.arrayBuffer();
    if (!location) throw new Error(`the IdP stopped at ${url} with HTTP ${res.status}`);
    url = new URL(location, url);
  }
  throw new Error("too many redirects");
}

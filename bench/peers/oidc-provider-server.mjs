// The peer of the OAuth benchmark: panva's oidc-provider 9 configured like Gatehouse's token
// endpoint (public client, refresh grant with rotation on every use, ES256 JWT access tokens for
// one resource, a PostgreSQL adapter), on its own port and its own database of the same server.
// Started by bench/oauth-peer.ts:  node bench/peers/oidc-provider-server.mjs
// env: PEER_PORT, PEER_DATABASE_URL, PEER_POOL_MAX (10). GET /bench/seed?n=50 makes n grants with
// a refresh token each and answers their values (benchmark use only: this server is never deployed).
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import Provider from "oidc-provider";
import { openPool, pgAdapterFactory, SCHEMA } from "./oidc-provider-pg-adapter.mjs";

const port = Number(process.env.PEER_PORT ?? 3196);
const issuer = `http://localhost:${port}`;
const resource = `${issuer}/mcp`;
const pool = openPool(process.env.PEER_DATABASE_URL, Number(process.env.PEER_POOL_MAX ?? 10));
await pool.query(SCHEMA);

const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "bench", alg: "ES256", use: "sig" };
const SCOPE = "profile members:read";

const provider = new Provider(issuer, {
  adapter: pgAdapterFactory(pool),
  clients: [
    {
      client_id: "bench",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: ["http://localhost/callback"],
      id_token_signed_response_alg: "ES256",
    },
  ],
  jwks: { keys: [jwk] },
  scopes: ["openid", "offline_access", "profile", "members:read"],
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  rotateRefreshToken: () => true,
  ttl: { AccessToken: 3600, Grant: 30 * 86400, RefreshToken: 30 * 86400, IdToken: 3600 },
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: SCOPE,
        accessTokenFormat: "jwt",
        accessTokenTTL: 3600,
        jwt: { sign: { alg: "ES256" } },
      }),
    },
  },
});
provider.proxy = false;

async function seed(n) {
  const client = await provider.Client.find("bench");
  const out = [];
  for (let i = 0; i < n; i++) {
    const accountId = `user-${i}`;
    const grant = new provider.Grant({ accountId, clientId: "bench" });
    grant.addOIDCScope("offline_access");
    grant.addResourceScope(resource, SCOPE);
    const grantId = await grant.save();
    const token = new provider.RefreshToken({
      client,
      accountId,
      grantId,
      gty: "authorization_code",
      scope: `offline_access ${SCOPE}`,
      resource,
      authTime: Math.floor(Date.now() / 1000),
    });
    out.push(await token.save());
  }
  return out;
}

const callback = provider.callback();
http
  .createServer(async (req, res) => {
    if (req.url?.startsWith("/bench/seed")) {
      const n = Number(new URL(req.url, issuer).searchParams.get("n") ?? 1);
      try {
        const tokens = await seed(n);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(tokens));
      } catch (err) {
        res.writeHead(500).end(String(err?.stack ?? err));
      }
      return;
    }
    if (req.url === "/health") {
      res.writeHead(200).end("ok");
      return;
    }
    callback(req, res);
  })
  .listen(port, () => console.log(`oidc-provider peer on ${issuer}`));

const stop = () => pool.end().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import * as samlify from "samlify";

/**
 * The customer's SAML identity provider, for tests: samlify's IdentityProvider, signing with a fresh
 * RSA key and self-signed certificate made by openssl. Gatehouse's SP is read from its own SP metadata
 * (so the IdP signs the assertion because our metadata says WantAssertionsSigned). Overrides let a test
 * produce the answers a broken or hostile IdP would send; the signature is always samlify's.
 */

export function makeKeyPair(cn: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "saml-idp-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj", `/CN=${cn}`, "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem")], { stdio: "ignore" });
    return { key: readFileSync(join(dir, "k.pem"), "utf8"), cert: readFileSync(join(dir, "c.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SamlUser {
  email: string;
  name?: string;
  groups?: string[];
  /** AuthnContextClassRef; default PasswordProtectedTransport. */
  authnContext?: string;
}

export interface Overrides {
  audience?: string;
  recipient?: string;
  destination?: string;
  issuer?: string;
  /** NotOnOrAfter of the conditions and the subject confirmation. */
  notOnOrAfter?: Date;
  issueInstant?: Date;
  assertionId?: string;
  /** null: IdP-initiated (no InResponseTo anywhere). */
  inResponseTo?: string | null;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";

/** A SAML 2.0 Response with one assertion, every field spelt out so a test can bend any of them. */
export function responseXml(v: {
  id: string;
  assertionId: string;
  issuer: string;
  destination: string;
  recipient: string;
  audience: string;
  inResponseTo: string | null;
  issueInstant: Date;
  notOnOrAfter: Date;
  user: SamlUser;
}): string {
  const now = v.issueInstant.toISOString();
  const until = v.notOnOrAfter.toISOString();
  const irt = v.inResponseTo ? ` InResponseTo="${esc(v.inResponseTo)}"` : "";
  const attr = (name: string, values: string[]) =>
    `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values.map((x) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(x)}</saml:AttributeValue>`).join("")}</saml:Attribute>`;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${v.id}" Version="2.0" IssueInstant="${now}" Destination="${esc(v.destination)}"${irt}>` +
    `<saml:Issuer>${esc(v.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion ID="${v.assertionId}" Version="2.0" IssueInstant="${now}">` +
    `<saml:Issuer>${esc(v.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(v.user.email)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${esc(v.recipient)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${now}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${esc(v.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now}" SessionIndex="${v.assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>${esc(v.user.authnContext ?? PASSWORD_CONTEXT)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attr("email", [v.user.email])}${v.user.name ? attr("name", [v.user.name]) : ""}${v.user.groups ? attr("groups", v.user.groups) : ""}</saml:AttributeStatement>` +
    `</saml:Assertion></samlp:Response>`
  );
}

export interface TestSamlIdp {
  entityId: string;
  ssoUrl: string;
  cert: string;
  metadata: string;
  /** The metadata served over HTTP on loopback (for "metadata by URL"). */
  metadataUrl: string;
  /** The id of the AuthnRequest in an SP-initiated redirect (HTTP-Redirect binding, deflated). */
  requestIdOf(url: URL): string;
  /** A base64 SAMLResponse to the SP described by `spMetadata`, signed by samlify unless `sign` is false. */
  respond(spMetadata: string, requestId: string | null, user: SamlUser, overrides?: Overrides, opts?: { sign?: boolean; signMessageOnly?: boolean }): Promise<string>;
  /** For browser tests: who signs in when a browser arrives at the SSO URL (HTTP-Redirect in, HTTP-POST out). */
  next: SamlUser | null;
  close(): Promise<void>;
}

const acsOf = (spMetadata: string) =>
  /<(?:\w+:)?AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"[^>]*Location="([^"]+)"/.exec(spMetadata)?.[1];

function authnRequest(url: URL): { id: string; issuer: string } {
  const raw = url.searchParams.get("SAMLRequest");
  if (!raw) throw new Error("no SAMLRequest in the redirect");
  const xml = inflateRawSync(Buffer.from(raw, "base64")).toString("utf8");
  const id = /<samlp:AuthnRequest[^>]*\sID="([^"]+)"/.exec(xml)?.[1];
  const issuer = /<saml:Issuer[^>]*>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1];
  if (!id || !issuer) throw new Error("no ID or Issuer in the AuthnRequest");
  return { id, issuer };
}

export async function startTestSamlIdp(name = "idp"): Promise<TestSamlIdp> {
  // samlify wants a schema validator before it parses anything; this IdP only signs (it never parses a message).
  samlify.setSchemaValidator({ validate: async () => "not used: the test IdP parses no SAML message" });
  const { key, cert } = makeKeyPair(`${name}.test`);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/saml/${name}`;
  const ssoUrl = `${base}/saml/sso`;
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: key,
    signingCert: cert,
    wantAuthnRequestsSigned: false,
    nameIDFormat: ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"],
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: ssoUrl }],
  });
  const metadata = idp.getMetadata();
  server.on("request", (req, res) => {
    if (req.url?.startsWith("/saml/sso?")) {
      // The browser arrives with an AuthnRequest; the IdP reads the SP's metadata from its entity id (a URL) and
      // answers with the usual auto-submitting HTML form to the ACS.
      void (async () => {
        try {
          const request = authnRequest(new URL(req.url!, base));
          if (!state.next) throw new Error("nobody signs in");
          const spMetadata = await (await fetch(request.issuer)).text();
          const response = await state.respond(spMetadata, request.id, state.next);
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end(
            `<!doctype html><title>Test IdP</title><form method="post" action="${esc(acsOf(spMetadata)!)}"><input type="hidden" name="SAMLResponse" value="${response}"><button>Continue</button></form><script>document.forms[0].submit()</script>`,
          );
        } catch (err) {
          res.writeHead(400, { "content-type": "text/plain" });
          res.end(String(err));
        }
      })();
    } else if (req.url === "/saml/metadata") {
      res.writeHead(200, { "content-type": "application/samlmetadata+xml" });
      res.end(metadata);
    } else {
      res.writeHead(404);
      res.end();
    }
  });

  const state: TestSamlIdp = {
    entityId,
    ssoUrl,
    cert,
    metadata,
    metadataUrl: `${base}/saml/metadata`,
    next: null,
    requestIdOf: (url) => authnRequest(url).id,
    async respond(spMetadata, requestId, user, o = {}, opts = {}) {
      const spMeta = samlify.ServiceProvider({ metadata: spMetadata });
      // samlify does not find the ACS in metadata without a namespace prefix: read it here.
      const acs = acsOf(spMetadata);
      if (!acs) throw new Error("no HTTP-POST AssertionConsumerService in the SP metadata");
      const now = o.issueInstant ?? new Date();
      const xml = responseXml({
        id: `_${randomUUID()}`,
        assertionId: o.assertionId ?? `_${randomUUID()}`,
        issuer: o.issuer ?? entityId,
        destination: o.destination ?? acs,
        recipient: o.recipient ?? acs,
        audience: o.audience ?? spMeta.entityMeta.getEntityID(),
        inResponseTo: o.inResponseTo === undefined ? requestId : o.inResponseTo,
        issueInstant: now,
        notOnOrAfter: o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000),
        user,
      });
      if (opts.sign === false) return Buffer.from(xml).toString("base64");
      // An SP whose metadata does not want signed assertions gets a response signed at the message level only.
      const sp = opts.signMessageOnly
        ? samlify.ServiceProvider({ entityID: spMeta.entityMeta.getEntityID(), wantAssertionsSigned: false, assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: acs }] })
        : spMeta;
      const { context } = await idp.createLoginResponse(sp, { extract: { request: { id: requestId ?? "" } } }, "post", { email: user.email }, () => ({ id: "", context: xml }));
      return context;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return state;
}

/** Signature-wrapping attacks on a signed response: the signed assertion stays intact, a forged one is what a naive SP would read. */
export function wrap(signedB64: string, variant: "extensions" | "second_assertion" | "object", forgedEmail: string): string {
  const xml = Buffer.from(signedB64, "base64").toString("utf8");
  const start = xml.indexOf("<saml:Assertion");
  const end = xml.indexOf("</saml:Assertion>") + "</saml:Assertion>".length;
  const signed = xml.slice(start, end);
  const forged = signed
    .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "")
    .replace(/ID="[^"]+"/, `ID="_forged${randomUUID()}"`)
    .replaceAll(/>[^<>]+@[^<>]+</g, `>${forgedEmail}<`);
  if (variant === "extensions") {
    // XSW: the signed assertion hidden in samlp:Extensions, the forged one in its place.
    const head = xml.slice(0, start).replace(/(<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1<samlp:Extensions>${signed}</samlp:Extensions>`);
    return Buffer.from(head + forged + xml.slice(end)).toString("base64");
  }
  if (variant === "second_assertion") return Buffer.from(xml.slice(0, end) + forged + xml.slice(end)).toString("base64");
  // XSW: the forged assertion carries the original signature, the signed assertion moved into its ds:Object.
  const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
  const unsignedOriginal = signed.replace(signature, "");
  const moved = signature.replace("</ds:Signature>", `<ds:Object>${unsignedOriginal}</ds:Object></ds:Signature>`);
  const forgedWithSig = forged.replace(/(<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1${moved}`);
  return Buffer.from(xml.slice(0, start) + forgedWithSig + xml.slice(end)).toString("base64");
}

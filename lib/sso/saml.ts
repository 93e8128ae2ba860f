import "server-only";
import { type CacheProvider, SAML, ValidateInResponseTo } from "@node-saml/node-saml";
import { DOMParser } from "@xmldom/xmldom";
import xpath from "xpath";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * SAML 2.0 service provider, on @node-saml/node-saml: it checks the XML signature (assertion signature
 * required, one assertion only), the IdP's Issuer, the audience, NotBefore/NotOnOrAfter with a bounded
 * clock skew and InResponseTo. What it does not check — the Response's Destination, the
 * SubjectConfirmationData's Recipient, the assertion id (replay cache) — is checked here on the XML that
 * node-saml verified. No XML signature code of our own.
 */

export const SAML_CLOCK_SKEW_MS = 60_000;
const REQUEST_TTL_MS = 10 * 60 * 1000;
const MAX_METADATA_CHARS = 512 * 1024;
export const MAX_SAML_RESPONSE_CHARS = 512 * 1024;

const NS = {
  md: "urn:oasis:names:tc:SAML:2.0:metadata",
  ds: "http://www.w3.org/2000/09/xmldsig#",
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
};
const select = xpath.useNamespaces(NS);
const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const EMAIL_ATTRIBUTES = ["email", "mail", "emailaddress", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "urn:oid:0.9.2342.19200300.100.1.3"];
const NAME_ATTRIBUTES = ["name", "displayname", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "http://schemas.microsoft.com/identity/claims/displayname"];

/** What a SAML connection needs to talk to its IdP. */
export interface SamlSettings {
  id: string;
  samlIdpEntityId: string;
  samlSsoUrl: string;
  samlIdpCerts: string;
}

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  certs: string[];
}

const appUrl = () => getEnv().APP_URL ?? "http://localhost:3000";
/** Gatehouse's entity id for one connection (also the URL of its SP metadata). */
export const samlSpEntityId = (connectionId: string) => new URL(`/api/sso/saml/metadata/${connectionId}`, appUrl()).toString();
/** The Assertion Consumer Service URL the admin pastes into the IdP. */
export const samlAcsUrl = (connectionId: string) => new URL(`/api/sso/saml/acs/${connectionId}`, appUrl()).toString();

function parseXml(xml: string): Document | null {
  let failed = false;
  const onError = () => {
    failed = true;
  };
  try {
    const doc = new DOMParser({ errorHandler: { warning: () => {}, error: onError, fatalError: onError } }).parseFromString(xml, "text/xml");
    return failed || !doc?.documentElement ? null : (doc as unknown as Document);
  } catch {
    return null;
  }
}

const pem = (b64: string) => {
  const body = b64.replace(/\s+/g, "");
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----`;
};

/** Read an IdP's metadata: entity id, HTTP-Redirect SSO URL, signing certificates. Bad metadata is a 422. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const bad = (why: string) => new AppError(422, "invalid_metadata", `The IdP metadata is not usable: ${why}.`);
  if (xml.length > MAX_METADATA_CHARS) throw bad("it is larger than 512 KiB");
  if (/<!DOCTYPE/i.test(xml)) throw bad("it contains a DOCTYPE");
  const doc = parseXml(xml);
  if (!doc) throw bad("it is not well-formed XML");
  const descriptor = select("//md:EntityDescriptor[md:IDPSSODescriptor]", doc as unknown as Node) as Element[];
  if (descriptor.length !== 1) throw bad("it must describe exactly one identity provider (EntityDescriptor with an IDPSSODescriptor)");
  const entity = descriptor[0]!;
  const entityId = entity.getAttribute("entityID")?.trim();
  if (!entityId) throw bad("the EntityDescriptor has no entityID");
  const sso = select(`md:IDPSSODescriptor/md:SingleSignOnService[@Binding='${REDIRECT_BINDING}']/@Location`, entity) as Attr[];
  const ssoUrl = sso[0]?.value?.trim();
  if (!ssoUrl) throw bad("it has no SingleSignOnService with the HTTP-Redirect binding");
  try {
    if (!["https:", "http:"].includes(new URL(ssoUrl).protocol)) throw new Error();
  } catch {
    throw bad("the SingleSignOnService location is not an http(s) URL");
  }
  const keys = select("md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']//ds:X509Certificate/text()", entity) as Text[];
  const certs = [...new Set(keys.map((k) => k.data.replace(/\s+/g, "")).filter(Boolean))].map(pem);
  if (!certs.length) throw bad("it has no signing certificate (KeyDescriptor use=\"signing\")");
  return { entityId, ssoUrl, certs };
}

/** node-saml's InResponseTo check against the one request this answer is meant for (stored in the DB). */
function oneRequestCache(expected: string | null, onSave?: (id: string) => void): CacheProvider {
  return {
    saveAsync: async (key, value) => {
      onSave?.(key);
      return { value, createdAt: Date.now() };
    },
    getAsync: async (key) => (expected !== null && key === expected ? new Date().toISOString() : null),
    removeAsync: async (key) => key,
  };
}

function client(c: SamlSettings, cache: CacheProvider): SAML {
  return new SAML({
    callbackUrl: samlAcsUrl(c.id),
    entryPoint: c.samlSsoUrl,
    issuer: samlSpEntityId(c.id),
    audience: samlSpEntityId(c.id),
    idpIssuer: c.samlIdpEntityId,
    idpCert: c.samlIdpCerts.split(/(?<=-----END CERTIFICATE-----)\s*/).filter(Boolean),
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    maxAssertionAgeMs: REQUEST_TTL_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: cache,
    identifierFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    disableRequestedAuthnContext: true,
    signatureAlgorithm: "sha256",
  });
}

/** Gatehouse's SP metadata for one connection (entity id, ACS URL, signed assertions wanted). */
export function samlSpMetadata(c: SamlSettings): string {
  return client(c, oneRequestCache(null)).generateServiceProviderMetadata(null, null);
}

/** An AuthnRequest (HTTP-Redirect binding) and its id, which the answer's InResponseTo must name. */
export async function samlLoginUrl(c: SamlSettings): Promise<{ url: URL; requestId: string }> {
  let requestId: string | null = null;
  const url = await client(
    c,
    oneRequestCache(null, (id) => {
      requestId = id;
    }),
  ).getAuthorizeUrlAsync("", undefined, {});
  if (!requestId) throw new Error("node-saml did not save the request id");
  return { url: new URL(url), requestId };
}

/** The Response's InResponseTo, read before validation only to find the pending request (node-saml then checks it). */
export function samlInResponseTo(samlResponse: string): { inResponseTo: string | null } | null {
  if (samlResponse.length > MAX_SAML_RESPONSE_CHARS) return null;
  const doc = parseXml(Buffer.from(samlResponse, "base64").toString("utf8"));
  if (!doc || doc.documentElement.localName !== "Response" || doc.documentElement.namespaceURI !== NS.samlp) return null;
  return { inResponseTo: doc.documentElement.getAttribute("InResponseTo") || null };
}

export class SamlInvalid extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = "SamlInvalid";
  }
}

/** node-saml's refusals, named for the audit log. */
function reasonOf(message: string): string {
  if (/signature/i.test(message)) return "invalid_signature";
  if (/not yet valid/i.test(message)) return "not_yet_valid";
  if (/expired|NotOnOrAfter|too old/i.test(message)) return "expired";
  if (/audience/i.test(message)) return "wrong_audience";
  if (/InResponseTo/i.test(message)) return "wrong_in_response_to";
  if (/issuer/i.test(message)) return "wrong_issuer";
  if (/status|Responder|Requester|AuthnFailed/i.test(message)) return "idp_error";
  return "invalid_response";
}

/** Diagnostic only (the refusal is node-saml's): whether every subject confirmation's NotOnOrAfter is past the skew. */
function subjectExpired(samlResponse: string): boolean {
  const doc = parseXml(Buffer.from(samlResponse, "base64").toString("utf8"));
  if (!doc) return false;
  const ends = (select("//saml:SubjectConfirmationData/@NotOnOrAfter", doc as unknown as Node) as Attr[]).map((a) => Date.parse(a.value));
  return ends.length > 0 && ends.every((t) => Number.isFinite(t) && t + SAML_CLOCK_SKEW_MS < Date.now());
}

export interface SamlAnswer {
  assertionId: string;
  /** When the assertion stops being valid (the replay cache keeps its id until then, plus the skew). */
  notOnOrAfter: Date;
  /** Claims in the shape the OIDC code reads: sub, iss, email, name, acr (AuthnContextClassRef), and the groups attribute. */
  claims: Record<string, unknown> & { sub: string; iss: string };
}

const one = (v: unknown): string | undefined => (typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : undefined);

/**
 * Validate a SAMLResponse (HTTP-POST binding) meant for `requestId`. Throws SamlInvalid with a reason
 * (`invalid_signature`, `wrong_audience`, `expired`, `wrong_destination`, `wrong_recipient`, …).
 */
export async function validateSamlResponse(c: SamlSettings, samlResponse: string, requestId: string, groupsAttribute: string): Promise<SamlAnswer> {
  let profile: Awaited<ReturnType<SAML["validatePostResponseAsync"]>>["profile"];
  try {
    ({ profile } = await client(c, oneRequestCache(requestId)).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (err) {
    const message = (err as Error).message ?? "The SAML response was refused.";
    let reason = reasonOf(message);
    // node-saml refuses an expired subject confirmation without saying why: name it for the audit log.
    if (/subject confirmation/i.test(message)) reason = subjectExpired(samlResponse) ? "expired" : "invalid_subject_confirmation";
    throw new SamlInvalid(reason, message.slice(0, 300));
  }
  if (!profile) throw new SamlInvalid("invalid_response", "The SAML response carried no assertion.");
  // node-saml checks the Issuer of logout messages only: the signed assertion's Issuer must be the IdP's entity id.
  if (profile.issuer !== c.samlIdpEntityId) throw new SamlInvalid("wrong_issuer", `The assertion was issued by ${String(profile.issuer).slice(0, 200)}, not by this connection's IdP.`);
  const acs = samlAcsUrl(c.id);
  // Destination is on the Response (outside the signed assertion): when present it must be our ACS.
  const response = parseXml(Buffer.from(samlResponse, "base64").toString("utf8"))!;
  const destination = response.documentElement.getAttribute("Destination");
  if (destination && destination !== acs) throw new SamlInvalid("wrong_destination", `The response is addressed to ${destination.slice(0, 200)}, not to this connection's ACS URL.`);
  // Everything below is read from the assertion node-saml verified.
  const assertion = parseXml(profile.getAssertionXml!())!.documentElement;
  const assertionId = assertion.getAttribute("ID");
  if (!assertionId) throw new SamlInvalid("invalid_response", "The assertion has no ID.");
  const bearer = select("saml:Subject/saml:SubjectConfirmation[@Method='urn:oasis:names:tc:SAML:2.0:cm:bearer']/saml:SubjectConfirmationData", assertion) as Element[];
  if (!bearer.length) throw new SamlInvalid("invalid_response", "The assertion has no bearer subject confirmation.");
  const recipient = bearer[0]!.getAttribute("Recipient");
  if (recipient !== acs) throw new SamlInvalid("wrong_recipient", `The assertion's Recipient is ${recipient ? recipient.slice(0, 200) : "missing"}, not this connection's ACS URL.`);
  const notOnOrAfterRaw = bearer[0]!.getAttribute("NotOnOrAfter");
  const notOnOrAfter = notOnOrAfterRaw ? new Date(notOnOrAfterRaw) : null;
  if (!notOnOrAfter || Number.isNaN(notOnOrAfter.getTime())) throw new SamlInvalid("expired", "The assertion's subject confirmation has no NotOnOrAfter.");
  const contexts = select("saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef/text()", assertion) as Text[];

  const attrs = (profile.attributes ?? {}) as Record<string, unknown>;
  const lower = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), v]));
  const pick = (names: string[]) => names.map((n) => one(lower[n.toLowerCase()])).find(Boolean);
  const nameIsEmail = profile.nameIDFormat?.endsWith(":emailAddress") && profile.nameID?.includes("@");
  const email = pick(EMAIL_ATTRIBUTES) ?? (nameIsEmail ? profile.nameID : undefined);
  // node-saml gives a one-value attribute as a string: groups are always a list.
  const rawGroups = attrs[groupsAttribute];
  const groups = typeof rawGroups === "string" ? [rawGroups] : Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === "string") : undefined;
  return {
    assertionId,
    notOnOrAfter,
    claims: {
      sub: profile.nameID ?? "",
      iss: profile.issuer ?? c.samlIdpEntityId,
      ...(email ? { email } : {}),
      ...(pick(NAME_ATTRIBUTES) ? { name: pick(NAME_ATTRIBUTES) } : {}),
      ...(contexts[0] ? { acr: contexts[0].data.trim() } : {}),
      ...(groups !== undefined ? { [groupsAttribute]: groups } : {}),
    },
  };
}

import { z } from "zod";

const roleKey = z.string().trim().min(1, "Pick a role").max(64);
const scopes = z
  .string()
  .trim()
  .max(500)
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "Scopes are separated by single spaces")
  .refine((s) => s.split(" ").includes("openid"), "Scopes must include openid");

export const roleRuleSchema = z.object({
  group: z.string().trim().min(1, "Name the IdP group or role value").max(200),
  roleKey,
});

/** A new OIDC connection, as the console sends it. */
export const oidcConnectionSchema = z.object({
  name: z.string().trim().min(1, "Name the connection").max(80),
  issuer: z.url("Enter the issuer URL (https://…)").max(500),
  clientId: z.string().trim().min(1, "Enter the client id").max(500),
  clientSecret: z.string().min(1, "Enter the client secret").max(2000),
  scopes: scopes.optional(),
  defaultRoleKey: roleKey.default("member"),
  groupsClaim: z.string().trim().min(1).max(100).regex(/^[\w:./-]+$/, "A claim name").optional(),
  idpEnforcesMfa: z.boolean().optional(),
});
export type OidcConnectionInput = z.infer<typeof oidcConnectionSchema>;

/** A new SAML connection: the IdP's metadata as XML (upload / paste) or by URL (fetched through the SSRF guard). */
export const samlConnectionSchema = z
  .object({
    kind: z.literal("saml"),
    name: z.string().trim().min(1, "Name the connection").max(80),
    metadataXml: z.string().min(1).max(512 * 1024, "The metadata is larger than 512 KiB").optional(),
    metadataUrl: z.url("Enter the metadata URL (https://…)").max(500).optional(),
    defaultRoleKey: roleKey.default("member"),
    /** The attribute that carries groups or a role, e.g. "groups" or Entra's http://schemas.microsoft.com/ws/2008/06/identity/claims/groups. */
    groupsClaim: z.string().trim().min(1).max(200).regex(/^[\w:./-]+$/, "An attribute name").optional(),
    idpEnforcesMfa: z.boolean().optional(),
  })
  .refine((v) => Boolean(v.metadataXml) !== Boolean(v.metadataUrl), { message: "Give the IdP metadata as XML or as a URL (one of them)", path: ["metadataXml"] });
export type SamlConnectionInput = z.infer<typeof samlConnectionSchema>;

/** Changes to a connection; a new secret replaces the stored one, an absent one keeps it. */
export const connectionChangeSchema = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    clientSecret: z.string().min(1).max(2000).optional(),
    /** SAML: new IdP metadata (e.g. a certificate rollover), as XML or by URL; the connection must be tested again. */
    metadataXml: z.string().min(1).max(512 * 1024, "The metadata is larger than 512 KiB").optional(),
    metadataUrl: z.url("Enter the metadata URL (https://…)").max(500).optional(),
    scopes: scopes.optional(),
    defaultRoleKey: roleKey.optional(),
    groupsClaim: z.string().trim().min(1).max(200).regex(/^[\w:./-]+$/, "A claim name").optional(),
    idpEnforcesMfa: z.boolean().optional(),
    roleRules: z.array(roleRuleSchema).max(100).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Nothing to change")
  .refine((v) => !(v.metadataXml && v.metadataUrl), { message: "Give the IdP metadata as XML or as a URL, not both", path: ["metadataXml"] });
export type ConnectionChange = z.infer<typeof connectionChangeSchema>;

export const enableSchema = z.object({
  enabled: z.boolean(),
  /** Why, for the audit log (e.g. "IdP outage, ticket 42"). */
  reason: z.string().trim().max(500).optional(),
});

export const domainClaimSchema = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Enter a domain such as example.com"),
});

export const ssoSettingsSchema = z.object({
  requireSso: z.boolean(),
  /** The Owner who may still sign in with a password when SSO is required. */
  breakGlassEmail: z.email().max(320).nullable(),
});

export const ssoStartSchema = z.object({
  email: z.email("Enter a valid email address").max(320),
  returnTo: z.string().max(2000).optional(),
});

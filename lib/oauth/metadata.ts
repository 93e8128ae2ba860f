import "server-only";
import { issuer, mcpResource } from "./issuer";
import { ALL_SCOPES } from "./scopes";
import { SIGNING_ALG } from "./keys";

/** RFC 8414 authorization server metadata. */
export function authorizationServerMetadata(opts: { registrationEnabled: boolean }) {
  const iss = issuer();
  return {
    issuer: iss,
    authorization_endpoint: `${iss}/oauth/authorize`,
    token_endpoint: `${iss}/oauth/token`,
    revocation_endpoint: `${iss}/oauth/revoke`,
    introspection_endpoint: `${iss}/oauth/introspect`,
    jwks_uri: `${iss}/oauth/jwks`,
    ...(opts.registrationEnabled ? { registration_endpoint: `${iss}/oauth/register` } : {}),
    scopes_supported: ALL_SCOPES,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
    access_token_signing_alg_values_supported: [SIGNING_ALG],
    service_documentation: `${iss}/`,
  };
}

/** RFC 9728 protected resource metadata for the sample MCP server. */
export function protectedResourceMetadata() {
  return {
    resource: mcpResource(),
    authorization_servers: [issuer()],
    scopes_supported: ALL_SCOPES,
    bearer_methods_supported: ["header"],
    resource_name: "Gatehouse sample MCP server",
    resource_signing_alg_values_supported: [SIGNING_ALG],
  };
}

/** Where the explorer talks to: the tenant routes, or the support routes with an access token. */
export interface AuditApi {
  /** `/api/orgs/<slug>/audit` or `/api/audit`. */
  base: string;
  /** Support staff only: the access token from stating a reason. */
  accessToken?: string | null;
}

export function auditHeaders(api: AuditApi): Record<string, string> {
  return api.accessToken ? { "x-audit-access": api.accessToken } : {};
}

export const auditKeys = {
  all: () => ["audit"] as const,
  scope: (api: AuditApi) => [...auditKeys.all(), api.base, api.accessToken ?? null] as const,
  events: (api: AuditApi, filterQuery: string) => [...auditKeys.scope(api), "events", filterQuery] as const,
  summary: (api: AuditApi, filterQuery: string) => [...auditKeys.scope(api), "summary", filterQuery] as const,
  chain: (api: AuditApi, orgId: string, seq: number) => [...auditKeys.scope(api), "chain", orgId, seq] as const,
};

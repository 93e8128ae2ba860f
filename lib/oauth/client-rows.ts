import "server-only";
import type { ClientDto } from "./client-admin";
import { expandPresets, findPreset } from "./presets";

/** A client as the console table shows it: no secret hash, dates as strings, preset names resolved. */
export function toClientRow(c: ClientDto) {
  const callbackId = c.redirectUris
    .map((u) => /^https:\/\/chatgpt\.com\/connector\/oauth\/([^/?#]+)$/.exec(u)?.[1])
    .find(Boolean);
  const expanded = expandPresets(c.presets, { callback_id: callbackId });
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    orgName: c.orgName,
    redirectUris: c.redirectUris,
    presets: c.presets,
    presetNames: c.presets.map((p) => findPreset(p)?.name ?? p),
    presetUris: expanded.ok ? expanded.uris : [],
    allowedScopes: c.allowedScopes,
    accessTokenTtlSeconds: c.accessTokenTtlSeconds,
    registration: c.registration,
    verified: c.verified,
    disabled: c.disabled,
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}

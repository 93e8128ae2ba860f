/**
 * Named redirect presets: well-known MCP clients and the redirect URIs they use. The registration
 * form, dynamic registration and the consent screen all read this one table.
 * A `{callback_id}` placeholder is filled from a value asked in the form.
 */
export interface RedirectPreset {
  id: string;
  name: string;
  redirectUris: string[];
  /** Loopback URIs of this preset accept any port (RFC 8252 §7.3); shown as a note. */
  anyPortNote?: string;
  /** A value the form asks for, substituted into `{name}` placeholders. */
  param?: { name: string; label: string; pattern: string };
}

export const REDIRECT_PRESETS: readonly RedirectPreset[] = [
  {
    id: "claude",
    name: "Claude (web and desktop)",
    redirectUris: ["https://claude.ai/api/mcp/auth_callback", "https://claude.com/api/mcp/auth_callback"],
  },
  {
    id: "claude-code",
    name: "Claude Code",
    redirectUris: ["http://localhost/callback"],
    anyPortNote: "any port",
  },
  {
    id: "cursor",
    name: "Cursor",
    redirectUris: [
      "cursor://anysphere.cursor-mcp/oauth/callback",
      "https://www.cursor.com/agents/mcp/oauth/callback",
      "http://localhost:8787/callback",
    ],
  },
  {
    id: "vscode",
    name: "VS Code / GitHub Copilot",
    redirectUris: [
      "https://vscode.dev/redirect",
      "https://insiders.vscode.dev/redirect",
      "http://127.0.0.1/",
      "http://127.0.0.1:33418/",
    ],
    anyPortNote: "loopback on any port",
  },
  {
    id: "chatgpt",
    name: "ChatGPT",
    redirectUris: [
      "https://chatgpt.com/connector_platform_oauth_redirect",
      "https://chatgpt.com/connector/oauth/{callback_id}",
    ],
    param: { name: "callback_id", label: "ChatGPT callback id", pattern: "^[A-Za-z0-9_-]{1,128}$" },
  },
  {
    id: "mcp-inspector",
    name: "MCP Inspector",
    redirectUris: ["http://localhost:6274/oauth/callback", "http://127.0.0.1:6276/oauth/callback"],
  },
  {
    id: "goose-gemini-mcp-remote",
    name: "Goose, Gemini CLI, mcp-remote",
    redirectUris: [
      "http://127.0.0.1/oauth_callback",
      "http://localhost/oauth/callback",
      "http://localhost:3334/oauth/callback",
    ],
    anyPortNote: "any port",
  },
];

export function findPreset(id: string): RedirectPreset | undefined {
  return REDIRECT_PRESETS.find((p) => p.id === id);
}

export type PresetExpansion = { ok: true; uris: string[] } | { ok: false; message: string };

/** The redirect URIs of the ticked presets, placeholders filled from `params`. */
export function expandPresets(
  ids: readonly string[],
  params: Record<string, string | undefined> = {},
): PresetExpansion {
  const uris: string[] = [];
  for (const id of ids) {
    const preset = findPreset(id);
    if (!preset) return { ok: false, message: `Unknown preset "${id}".` };
    if (preset.param) {
      const value = params[preset.param.name]?.trim() ?? "";
      if (!new RegExp(preset.param.pattern).test(value)) {
        return { ok: false, message: `${preset.name} needs a valid ${preset.param.label}.` };
      }
      uris.push(...preset.redirectUris.map((u) => u.replaceAll(`{${preset.param!.name}}`, value)));
    } else {
      uris.push(...preset.redirectUris);
    }
  }
  return { ok: true, uris: [...new Set(uris)] };
}

/** The presets whose every fixed URI is among `uris`: how a dynamically registered client is recognized. */
export function presetsMatching(uris: readonly string[]): RedirectPreset[] {
  const set = new Set(uris);
  return REDIRECT_PRESETS.filter((p) => p.redirectUris.some((u) => !u.includes("{") && set.has(u)));
}

/**
 * Parses a comma list of web origins ("https://app.example.com, http://localhost:3001") into their
 * normal form. Throws naming the entry that is not a bare http(s) origin; `*` is refused (a wildcard
 * cannot be combined with credentials).
 */
export function parseOriginList(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`"${entry}" is not an origin like https://app.example.com`);
    }
    if (!["http:", "https:"].includes(url.protocol) || url.origin !== entry.replace(/\/$/, "")) {
      throw new Error(`"${entry}" is not an origin like https://app.example.com (scheme, host and port only)`);
    }
    if (!out.includes(url.origin)) out.push(url.origin);
  }
  return out;
}

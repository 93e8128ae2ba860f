/** Same-site path to come back to after sign-in; anything else becomes "/". */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || typeof next !== "string") return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || /[\u0000-\u001f]/.test(next)) return "/";
  try {
    // Resolve against a dummy origin: anything that escapes it is not same-site.
    const url = new URL(next, "http://same.invalid");
    if (url.origin !== "http://same.invalid") return "/";
    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}

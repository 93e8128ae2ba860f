import "server-only";
import { getEnv } from "@/lib/env";

/** Whether the app is served over https (APP_URL): its cookies are then Secure and `__Host-` named. */
export function secureCookies(): boolean {
  return getEnv().APP_URL.startsWith("https://");
}

/**
 * A cookie's name: `__Host-<name>` over https, so that the browser accepts it only as Secure, for
 * Path=/ and with no Domain — no sibling subdomain or plain-http page can set or shadow it.
 */
export function cookieName(name: string): string {
  return secureCookies() ? `__Host-${name}` : name;
}

/** Options of a host-only cookie the app sets itself (pair with cookieName). */
export function hostCookieOptions() {
  return { httpOnly: true, sameSite: "lax" as const, secure: secureCookies(), path: "/" };
}

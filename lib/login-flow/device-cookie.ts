import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { requestCookies } from "@/lib/http/cookie-jar";
import { randomToken, sha256 } from "@/lib/crypto";
import { getEnv } from "@/lib/env";

/**
 * Device cookies (OWASP): a browser that completed a sign-in to an account carries a signed cookie
 * naming a random device id and the account, and gets its own failure budget there, so an attacker
 * elsewhere cannot lock the owner out. Signed with AUTH_SECRET; nothing is stored server-side.
 */
export const DEVICE_COOKIE = "gh_device";
const MAX_AGE_SECONDS = 365 * 86_400;

const accountTag = (email: string) => sha256(`device-account:${email}`).slice(0, 22);
const mac = (payload: string) => createHmac("sha256", getEnv().AUTH_SECRET).update(`gh-device:${payload}`).digest("base64url");

/** A cookie value for `deviceId` on the account `email` (tests build forged and real ones with it). */
export function deviceCookieValue(deviceId: string, email: string): string {
  const payload = `${deviceId}.${accountTag(email)}`;
  return `${payload}.${mac(payload)}`;
}

/** The device id in `value` if it is genuine and was issued for `email`, else null. */
export function verifyDeviceCookie(value: string | undefined, email: string): string | null {
  const [id, tag, signature] = (value ?? "").split(".");
  if (!id || !tag || !signature || tag !== accountTag(email)) return null;
  const expected = Buffer.from(mac(`${id}.${tag}`));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

/** This browser's device id for the account, if it signed in to it before. */
export async function rememberedDevice(email: string): Promise<string | null> {
  return verifyDeviceCookie((await requestCookies()).get(DEVICE_COOKIE)?.value, email);
}

/** After a completed sign-in: remember this browser for the account. Returns whether it was new to it. */
export async function rememberDevice(email: string): Promise<{ newDevice: boolean }> {
  const jar = await requestCookies();
  const known = verifyDeviceCookie(jar.get(DEVICE_COOKIE)?.value, email);
  if (known) return { newDevice: false };
  const env = getEnv();
  jar.set(DEVICE_COOKIE, deviceCookieValue(randomToken(16), email), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.APP_URL.startsWith("https://"),
    path: "/",
    maxAge: MAX_AGE_SECONDS,
  });
  return { newDevice: true };
}

import "server-only";
import { count, eq } from "drizzle-orm";
import { sessions } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import { rememberDevice } from "./device-cookie";
import { sendSecurityNotice } from "./security-mails";

/**
 * After a completed sign-in: remember this browser. A browser new to an account that has signed in
 * before gets the owner a "new sign-in" mail (the very first sign-in does not).
 */
export async function rememberSignInDevice(userId: string, email: string): Promise<void> {
  const { newDevice } = await rememberDevice(email);
  if (!newDevice) return;
  const db = getDb();
  const [row] = await db.select({ n: count() }).from(sessions).where(eq(sessions.userId, userId));
  if ((row?.n ?? 0) > 1) await db.transaction((tx) => sendSecurityNotice(tx, email, "new_device").then(() => undefined));
}

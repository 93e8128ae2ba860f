import "server-only";
import { eq } from "drizzle-orm";
import { type PlatformRole, users } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

/** The user as the rest of the app may see it: never the password hash. */
export interface UserDto {
  id: string;
  email: string;
  name: string | null;
  platformRole: PlatformRole | null;
  emailVerified: boolean;
}

export const userDtoColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  platformRole: users.platformRole,
  emailVerifiedAt: users.emailVerifiedAt,
};

export function toUserDto(row: {
  id: string;
  email: string;
  name: string | null;
  platformRole: PlatformRole | null;
  emailVerifiedAt: Date | null;
}): UserDto {
  return { id: row.id, email: row.email, name: row.name, platformRole: row.platformRole, emailVerified: !!row.emailVerifiedAt };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getUserById(id: string, db: Executor = getDb()): Promise<UserDto | null> {
  const [row] = await db.select(userDtoColumns).from(users).where(eq(users.id, id));
  return row ? toUserDto(row) : null;
}

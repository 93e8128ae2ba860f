import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { invitations, roleMappings, roles, users } from "@/drizzle/schema";
import { systemContext } from "@/lib/http/request-context";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { createOrgAsStaff } from "./create";

const getDb = useTestDatabase();
let staff: { id: string; email: string; name: string | null };

beforeAll(async () => {
  await seedDemo(getDb().db);
  staff = (await getDb().db.select().from(users).where(eq(users.email, "admin@gatehouse.example")))[0]!;
});

describe("createOrgAsStaff", () => {
  it("creates the org on its plan and invites the first owner; a taken slug is a 409", async () => {
    const { db } = getDb();
    const [paid] = await db.select().from(roleMappings).where(eq(roleMappings.name, "Paid"));
    const org = await createOrgAsStaff(staff, { name: "Acme", slug: "acme", mappingId: paid!.id, ownerEmail: "boss@acme.example" }, systemContext());
    const [invite] = await db.select().from(invitations).where(eq(invitations.orgId, org.id));
    const [owner] = await db.select().from(roles).where(eq(roles.key, "owner"));
    expect(invite).toMatchObject({ email: "boss@acme.example", roleId: owner!.id });
    await expect(createOrgAsStaff(staff, { name: "Acme 2", slug: "acme", mappingId: paid!.id, ownerEmail: "x@acme.example" }, systemContext())).rejects.toMatchObject({ status: 409 });
  });
});

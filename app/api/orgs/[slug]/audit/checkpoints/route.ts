import { checkpointLines } from "@/lib/audit/checkpoint-list";
import { withOrg } from "@/lib/http/route";

// GET /api/orgs/[slug]/audit/checkpoints — the org's signed checkpoints (JSON lines), for the offline verifier
export const GET = withOrg(
  async ({ org }) => {
    const lines = await checkpointLines(org.id);
    return new Response(lines.map((l) => `${l}\n`).join(""), {
      headers: {
        "Content-Type": "application/x-ndjson; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-checkpoints-${org.slug}.jsonl"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { permission: "audit::read" },
);

import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AUDIT_OUTCOMES } from "@/drizzle/schema";
import { searchAuditEvents } from "@/lib/audit/query";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import type { McpCaller } from "./auth";
import { listOrgMembers } from "./members";
import { recordToolCall } from "./record-call";
import { decideTool, TOOL_SCOPES } from "./tool-scopes";
import { refusalMessage } from "@/lib/oauth/effective-access";

function text(value: unknown): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/**
 * The sample MCP server for one request: every tool takes the org from the token (arguments are
 * strict, so an `org_id` argument is refused), checks effective access (scope ∩ the user's current
 * permission), and records an audit event.
 */
export function createMcpServer(caller: McpCaller, context: RequestContext): McpServer {
  const server = new McpServer({ name: "gatehouse-sample", version: "1.0.0" });
  const { claims } = caller;

  async function run<T>(
    tool: string,
    work: (tx: Parameters<Parameters<ReturnType<typeof getDb>["transaction"]>[0]>[0]) => Promise<T>,
  ): Promise<CallToolResult> {
    const scope = TOOL_SCOPES[tool] ?? null;
    const refused = decideTool(tool, caller.scopes, caller.permissions);
    if (refused) {
      // The handler answers 403 (and records it) before we get here; this keeps the tool safe on its own.
      return { isError: true, content: [{ type: "text", text: refusalMessage(refused) }] };
    }
    const result = await getDb().transaction(async (tx) => {
      const value = await work(tx);
      await recordToolCall(tx, caller, { tool, scope, context });
      return value;
    });
    return text(result);
  }

  server.registerTool(
    "whoami",
    {
      title: "Who am I",
      description: "The user this agent acts for, the organization, the client and the granted scopes.",
      inputSchema: z.object({}).strict(),
    },
    () =>
      run("whoami", async () => ({
        user_id: claims.sub,
        email: caller.grant?.userEmail ?? null,
        org_id: claims.org_id,
        client_id: claims.client_id,
        grant_id: claims.grant_id,
        scopes: caller.scopes,
        expires_at: new Date(claims.exp * 1000).toISOString(),
      })),
  );

  server.registerTool(
    "list_members",
    {
      title: "List members",
      description: "Members of the organization and their roles (needs members:read).",
      inputSchema: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    },
    ({ limit }) =>
      run("list_members", async (tx) => ({ members: await listOrgMembers(tx, claims.org_id, limit ?? 100) })),
  );

  server.registerTool(
    "search_audit_log",
    {
      title: "Search the audit log",
      description: "Search the organization's audit events, newest first (needs audit:read).",
      inputSchema: z
        .object({
          text: z.string().max(200).optional(),
          action: z.string().max(100).optional().describe("exact action or a prefix like member.*"),
          outcome: z.enum(AUDIT_OUTCOMES).optional(),
          actor_id: z.string().max(200).optional(),
          client_id: z.string().max(2048).optional(),
          on_behalf_of_user_id: z.uuid().optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          limit: z.number().int().min(1).max(100).optional(),
          cursor: z.string().max(500).optional(),
        })
        .strict(),
    },
    (args) =>
      run("search_audit_log", async (tx) => {
        const page = await searchAuditEvents(
          {
            orgId: claims.org_id,
            text: args.text,
            action: args.action,
            outcome: args.outcome,
            actorId: args.actor_id,
            clientId: args.client_id,
            onBehalfOfUserId: args.on_behalf_of_user_id,
            from: args.from ? new Date(args.from) : null,
            to: args.to ? new Date(args.to) : null,
          },
          { limit: args.limit ?? 20, cursor: args.cursor },
          tx,
        );
        return {
          events: page.events.map((e) => ({
            id: e.id,
            occurred_at: e.occurredAt,
            action: e.action,
            outcome: e.outcome,
            actor: e.actor,
            on_behalf_of: e.onBehalfOf,
            client_id: e.clientId,
            target: e.target,
          })),
          next_cursor: page.nextCursor,
        };
      }),
  );
  return server;
}

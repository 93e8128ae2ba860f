// The direct lane on a port of its own, as the stamping server runs it in production (`lib/http/direct-lane.ts`):
// its routes answered, anything else 404. Imported lazily so a test file's `vi.mock`s apply to the lane's modules.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type LaneServer = { url: string; close: () => Promise<void> };

export async function startLaneServer(): Promise<LaneServer> {
  const { laneRouteFor, serveLaneRequest } = await import("@/lib/http/direct-lane");
  const server = createServer((req, res) => {
    const route = laneRouteFor(req);
    if (!route) return void res.writeHead(404).end();
    void serveLaneRequest(route, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

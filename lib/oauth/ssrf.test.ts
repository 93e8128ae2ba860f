import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { FETCH_FAILED, resolveMetadataDocumentClient } from "./metadata-document";
import { isPrivateAddress } from "./ssrf";

useTestDatabase();

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "100.127.255.255", "224.0.0.1", "239.255.255.250", "255.255.255.255", "0.0.0.0", "192.0.2.1", "198.18.0.1",
    "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:7f00:1",
    "0:0:0:0:0:ffff:a00:1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::1",
    "2001:0:4136:e378::1", "2001:db8::1", "fe80::1%eth0", "not-an-ip",
  ])("%s is not public", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])(
    "%s is public",
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe("metadata-document fetches never connect to a private address, whatever the notation", () => {
  let server: net.Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "::", resolve)); // dual-stack: IPv4 and IPv6
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const hosts = [
    "127.0.0.1", "2130706433", "0x7f000001", "017700000001", "0177.0.0.1", "0x7f.0.0.1", "0x7f.1", "127.1", "127.0.1",
    "127.000.000.001", "0", "0.0.0.0", "0x0", "localhost", "[::1]", "[::]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "[::127.0.0.1]", "[::ffff:0.0.0.0]",
  ];
  const urls = hosts.flatMap((h) => [`http://${h}:PORT/client.json`, `https://${h}:PORT/client.json`]);

  it.each(urls)("%s → refused with the one message, 0 connections", async (template) => {
    const url = template.replace("PORT", String(port));
    const result = await resolveMetadataDocumentClient(url, { allowPrivate: false });
    // https is always fetchable, so the address check must refuse it; plain http is only allowed
    // (in test mode) for loopback names, and refused either way.
    if (url.startsWith("https:")) expect(result).toEqual({ ok: false, message: FETCH_FAILED });
    else expect(result.ok).toBe(false);
    expect(connections).toBe(0);
  });
});

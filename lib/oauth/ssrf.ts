import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";

function privateV4(a: number, b: number): boolean {
  return (
    a === 0 || // "this network", 0.0.0.0 unspecified
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // CGNAT 100.64/10
    (a === 169 && b === 254) || // link-local (cloud metadata)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // 192.0.0/24 protocol assignments, 192.0.2/24 documentation
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51) ||
    (a === 203 && b === 0) ||
    a >= 224 // multicast 224/4, reserved 240/4, broadcast
  );
}

/** An IPv6 address as eight 16-bit groups (embedded dotted IPv4 tail included), or null. */
function ipv6Groups(ip: string): number[] | null {
  let x = ip.toLowerCase().split("%")[0]!;
  const dotted = x.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const o = dotted[1]!.split(".").map(Number);
    x = x.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = x.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = x.includes("::") ? 8 - h.length - t.length : 0;
  const groups = [...h, ...Array(fill).fill("0"), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * Whether an IP address is anything but a public unicast address: loopback, private, link-local,
 * CGNAT, multicast, unspecified, documentation, and IPv6 forms that carry an IPv4 address
 * (IPv4-mapped `::ffff:a.b.c.d` / `::ffff:7f00:1`, IPv4-compatible, NAT64, 6to4, Teredo).
 * Anything unparseable counts as private.
 */
export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return privateV4(a, b);
  }
  if (v !== 6) return true;
  const g = ipv6Groups(ip);
  if (!g) return true;
  const [g0, g1, g2, g3, g4, g5, g6] = g as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    // ::/96 (unspecified, loopback, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped)
    if (g5 === 0xffff) return privateV4(g6 >> 8, g6 & 0xff);
    return true;
  }
  if (g0 === 0x2002) return privateV4(g1 >> 8, g1 & 0xff); // 6to4 carries an IPv4 address
  return (
    (g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (g0 & 0xffc0) === 0xfec0 || // site-local (deprecated)
    (g0 & 0xff00) === 0xff00 || // multicast
    (g0 === 0x64 && g1 === 0xff9b) || // NAT64
    (g0 === 0x2001 && g1 === 0) || // Teredo
    (g0 === 0x2001 && g1 === 0xdb8) || // documentation
    (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) // discard-only
  );
}

/** A URL's host without IPv6 brackets. The WHATWG parser already turned every IPv4 notation (decimal, octal, hex, short) into dotted form. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** Refuse a host that is an IP literal in a private range: no lookup runs for those, so check here. */
export function assertPublicLiteral(url: URL, allowPrivate: boolean): void {
  const host = bareHost(url);
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
    throw Object.assign(new Error(`${host} is a private address`), { code: "EPRIVATE" });
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request that refuses private addresses: the check happens on the address
 * actually connected to, so DNS rebinding between check and connect does not get through.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivate) {
        return callback(
          Object.assign(new Error(`${hostname} resolves to a private address`), { code: "EPRIVATE" }),
          [],
        );
      }
      const opts = options as { all?: boolean };
      if (opts.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

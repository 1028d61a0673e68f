import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { badInput } from '../shared/errors';

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** IPv4 ranges no outside receiver lives in: this host, private networks, link-local, CGNAT, benchmarks, multicast. */
const PRIVATE_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const v4Number = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

function isPrivateV4(ip: string): boolean {
  const n = v4Number(ip);
  return PRIVATE_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(v4Number(base) / 2 ** (32 - bits)));
}

/** Expands an IPv6 address to its eight 16-bit groups (an embedded IPv4 tail becomes two groups). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0];
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const n = v4Number(v4Tail[1]);
    text = text.slice(0, -v4Tail[1].length) + `${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}

/** Whether an IP address (v4 or v6) is loopback, private, link-local, unspecified or multicast. */
export function isPrivateAddress(ip: string): boolean {
  const version = isIP(ip.split('%')[0]);
  if (version === 4) return isPrivateV4(ip);
  if (version !== 6) return false;
  const g = v6Groups(ip);
  const mappedV4 = g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0);
  if (mappedV4 && (g[6] !== 0 || g[7] > 1)) return isPrivateV4(`${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`);
  if (g.every((x) => x === 0) || (g.slice(0, 7).every((x) => x === 0) && g[7] === 1)) return true; // :: and ::1
  if (g[0] === 0x64 && g[1] === 0xff9b) return isPrivateV4(`${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`); // NAT64
  return (g[0] & 0xfe00) === 0xfc00 || (g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xff00) === 0xff00;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** An absolute http(s) URL without credentials; BAD_USER_INPUT naming `field` otherwise. */
export function parseWebhookUrl(raw: string, field: string): URL {
  const refuse = (why: string) => badInput(`${field} ${why}`, { field });
  if (typeof raw !== 'string' || raw.trim() === '') throw refuse('must be an http or https URL');
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw refuse(`is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`must be an http or https URL, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) throw refuse('must not carry a user name or password');
  if (!url.hostname) throw refuse('must name a host');
  url.hash = '';
  return url;
}

type Resolve = (hostname: string) => Promise<string[]>;

const resolveAll: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address)))),
  );

/**
 * Unless private targets are allowed (WEBHOOK_ALLOW_PRIVATE), refuses a URL whose host is, or resolves to, a
 * loopback, private or link-local address: an endpoint must not make the worker call into its own network.
 */
export async function checkWebhookTarget(url: URL, allowPrivate: boolean, field: string, resolve: Resolve = resolveAll): Promise<void> {
  if (allowPrivate) return;
  const host = hostOf(url);
  const refuse = (why: string) => badInput(`${field} ${why} (WEBHOOK_ALLOW_PRIVATE is off)`, { field });
  if (host === 'localhost' || host.endsWith('.localhost')) throw refuse('names this host');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw badInput(`${field}: the host ${host} does not resolve`, { field });
    }
  }
  if (addresses.some(isPrivateAddress)) throw refuse('points at a loopback, private or link-local address');
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses private addresses at connection time, so a name that resolved to a
 * public address at registration cannot be re-pointed at the internal network later (DNS rebinding).
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked)
      return callback(Object.assign(new Error(`${hostname} resolves to a private address (${blocked.address})`), { code: 'EPRIVATE' }), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/** For the sender: a literal private IP never reaches `lookup`, so it is checked before connecting. */
export function literalPrivateHost(url: URL): string | null {
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost')) return host;
  return isIP(host) && isPrivateAddress(host) ? host : null;
}

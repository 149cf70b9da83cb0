import ipaddr from 'ipaddr.js';
import picomatch from 'picomatch';

/**
 * Matching a token's limits (AUTHZ-1a): package names and patterns (`eslint-plugin-*`,
 * `@acme/*`), and CIDR allow-lists. Compiled once per list and cached, because every request
 * with a limited token asks.
 */
const matchers = new Map<string, (name: string) => boolean>();

export function matchesPackageList(patterns: readonly string[], name: string): boolean {
  for (const pattern of patterns) {
    if (pattern === name) return true;
    if (!pattern.includes('*')) continue;
    let matcher = matchers.get(pattern);
    if (!matcher) {
      matcher = picomatch(pattern, { nocase: false, dot: true });
      if (matchers.size > 10_000) matchers.clear();
      matchers.set(pattern, matcher);
    }
    if (matcher(name)) return true;
  }
  return false;
}

/** A valid package name or a pattern of one with `*` wildcards. */
export function isPackagePattern(value: string): boolean {
  return /^(@[a-z0-9*][a-z0-9._~*-]*\/)?[a-z0-9*][a-z0-9._~*-]*$/.test(value) && value.length <= 214;
}

export function parseCidr(value: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  try {
    return ipaddr.parseCIDR(value.trim());
  } catch {
    return null;
  }
}

/** True when the address is inside one of the CIDRs. IPv4-mapped IPv6 addresses count as IPv4. */
export function ipInCidrs(ip: string, cidrs: readonly string[]): boolean {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return false;
  }
  return cidrs.some((cidr) => {
    const range = parseCidr(cidr);
    return range !== null && address.kind() === range[0].kind() && address.match(range);
  });
}

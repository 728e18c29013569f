/**
 * Redaction (`--redact`): consistent pseudonyms for IP addresses, MAC addresses,
 * host names and SNI names across the whole Analysis, applied before any
 * renderer runs, so every output (TUI, Markdown, JSON, HTML) carries the same
 * pseudonyms. Subnets keep their shape: an IPv4 /24 maps to one pseudonym /24
 * with host numbers kept (gateway .1 stays .1), IPv6 /64 prefixes map to ULA
 * prefixes. The mapping is returned separately (written to its own file).
 */
import type { Analysis } from '../model/analysis.js';
import { formatAddr, parseAddr } from '../netstate/ip.js';

/** The pseudonym tables, original → pseudonym. */
export interface RedactionMap {
  ipv4Networks: Record<string, string>;
  ipv6Prefixes: Record<string, string>;
  ips: Record<string, string>;
  macs: Record<string, string>;
  names: Record<string, string>;
}

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\b/g;
const IPV6 = /(?<![\w:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?![\w:])/g;
const MAC = /\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\b/g;
/** Addresses that identify nobody and keep their meaning. */
const KEEP_V4 = /^(0\.0\.0\.0|255\.255\.255\.255|127\.\d+\.\d+\.\d+|22[4-9]\.|23\d\.)/;
const KEEP_MAC = new Set(['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff']);
/** Host-name-like tokens: labels separated by dots, ending in an alphabetic label. */
const FQDN = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,23}\b/gi;
/** Final labels that are file extensions or code, not domains. */
const NOT_TLD = new Set(
  'log txt json pcap pcapng gz tgz yaml yml md out cap go ts tsx js mjs tar zip ntar html htm conf cfg sh py rb pem crt key csv tsv jsonl ini toml xml err dump bin lock service socket'.split(
    ' ',
  ),
);
/** Well-known API groups and public names that identify nobody; kept so commands stay valid. */
const KEEP_NAMES =
  /(^|\.)(metallb\.universe\.tf|metallb\.io|cert-manager\.io|acme\.cert-manager\.io|kubernetes\.io|k8s\.io|traefik\.io|traefik\.containo\.us|example\.invalid)$/i;

/** Builds pseudonyms on demand and rewrites strings. */
export class Redactor {
  readonly map: RedactionMap = { ipv4Networks: {}, ipv6Prefixes: {}, ips: {}, macs: {}, names: {} };
  private nets = 0;
  private prefixes = 0;
  private macCount = 0;
  private readonly names: Array<[string, string]> = [];

  /** Register host/node/SNI names to replace (longest first when rewriting). */
  addName(name: string, kind: 'host' | 'sni'): void {
    if (!name || this.map.names[name] || name.length < 2) return;
    const n = Object.keys(this.map.names).length + 1;
    const p = kind === 'sni' ? `service-${n}.example.invalid` : `host-${n}`;
    this.map.names[name] = p;
    this.names.push([name, p]);
    this.names.sort((a, b) => b[0].length - a[0].length);
  }

  private ipv4(ip: string): string {
    if (KEEP_V4.test(ip)) return ip;
    const done = this.map.ips[ip];
    if (done) return done;
    const parts = ip.split('.');
    const net = parts.slice(0, 3).join('.');
    let pn = this.map.ipv4Networks[net];
    if (!pn) {
      this.nets++;
      pn = `10.${Math.floor(this.nets / 256) % 256}.${this.nets % 256}`;
      this.map.ipv4Networks[net] = pn;
    }
    const out = `${pn}.${parts[3]}`;
    this.map.ips[ip] = out;
    return out;
  }

  private ipv6(text: string): string {
    const a = parseAddr(text);
    if (a?.family !== 6) return text;
    if (a.value <= 1n) return text; // :: and ::1
    const canon = formatAddr(a);
    const done = this.map.ips[canon];
    if (done) return done;
    const prefix = a.value >> 64n;
    const key = formatAddr({ family: 6, value: prefix << 64n });
    let p = this.map.ipv6Prefixes[key];
    if (!p) {
      this.prefixes++;
      p = formatAddr({ family: 6, value: (0xfd00n << 112n) | (BigInt(this.prefixes) << 64n) });
      this.map.ipv6Prefixes[key] = p;
    }
    const iid = a.value & ((1n << 64n) - 1n);
    // Small interface ids (::1, ::10) keep their meaning; EUI-64 and random ones are replaced.
    const newIid = iid < 0x10000n ? iid : BigInt(Object.keys(this.map.ips).length + 0x100);
    const pv = parseAddr(p)?.value ?? 0n;
    const out = formatAddr({ family: 6, value: pv | newIid });
    this.map.ips[canon] = out;
    return out;
  }

  private mac(m: string): string {
    const k = m.toLowerCase();
    if (KEEP_MAC.has(k)) return m;
    let p = this.map.macs[k];
    if (!p) {
      this.macCount++;
      const n = this.macCount;
      p = `02:00:5e:${((n >> 16) & 255).toString(16).padStart(2, '0')}:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
      this.map.macs[k] = p;
    }
    return p;
  }

  /** Rewrite one string. */
  text(s: string): string {
    let out = s.replace(MAC, (m) => this.mac(m));
    out = out.replace(IPV6, (m) => this.ipv6(m));
    out = out.replace(IPV4, (m) => this.ipv4(m));
    for (const [name, p] of this.names) if (out.includes(name)) out = out.split(name).join(p);
    out = out.replace(FQDN, (m) => {
      const tld = m.slice(m.lastIndexOf('.') + 1).toLowerCase();
      if (NOT_TLD.has(tld) || KEEP_NAMES.test(m) || /^\d/.test(tld)) return m;
      this.addName(m, 'sni');
      return this.map.names[m] ?? m;
    });
    return out;
  }

  /** Rewrite every string (and object key) in a JSON-able value. */
  value<T>(v: T): T {
    if (typeof v === 'string') return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.value(x)) as T;
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[this.text(k)] = this.value(x);
      return o as T;
    }
    return v;
  }
}

/** Redact an Analysis; returns the redacted copy and the mapping. */
export function redactAnalysis(
  a: Analysis,
  extraNames: readonly string[] = [],
): { analysis: Analysis; map: RedactionMap } {
  const r = new Redactor();
  for (const n of a.bundle.nodes) r.addName(n.name, 'host');
  for (const f of a.bundle.files) if (f.node) r.addName(f.node, 'host');
  for (const f of a.flows) if (f.tls?.sni) r.addName(f.tls.sni, 'sni');
  if (a.bundle.service?.hostname) r.addName(a.bundle.service.hostname, 'sni');
  for (const n of extraNames) r.addName(n, 'sni');
  const analysis = r.value(a);
  return { analysis, map: r.map };
}

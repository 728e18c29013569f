/**
 * iproute2 JSON output: `ip -j route`, `ip -j addr`, `ip -j link`, `ip -j neigh`,
 * `ip -j rule` (compact or pretty-printed with `-p`; several documents may follow
 * one another in one file). Each array element is classified by its keys:
 *
 *   addr_info            → link + address records   (ip -j addr)
 *   ifindex + ifname     → link record              (ip -j link)
 *   state: [ … ]         → neighbor record          (ip -j neigh)
 *   priority             → rule record              (ip -j rule)
 *   dst                  → route record             (ip -j route)
 *
 * The document is buffered (at most MAX_JSON_BYTES) and parsed in `end()`; a
 * record's `line` is the line where its object starts. Lines of documents that do
 * not parse are issues; the rest are parsed (blank lines and echoes skipped).
 */
import type { LinkRecord, Nexthop, RouteRecord, RuleRecord } from '../../src/model/records/index.js';
import type {
  Counts,
  FormatSample,
  LineParser,
  LineStatus,
  ParseContext,
  TextFormat,
  TextSink,
} from '../types.js';
import { bannerText, isIP, normDst, normMac, stripZone } from './netstate/common.js';
import { defaultTable, NUD_STATES, neighbor, routeFamily } from './netstate/emit.js';
import { ADDR_FLAGS } from './netstate/iface.js';

/** Upper bound on buffered JSON text. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);

/** A top-level JSON value found in the buffered text. */
interface Doc {
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
  /** Line of each element's opening `{` when the document is an array. */
  elementLines: number[];
  /** Line of every `{` in the document, in document order (objects in pre-order). */
  objectLines: number[];
}

/**
 * Map each object of a parsed document to the line of its `{`: JSON.parse keeps
 * document order, so a pre-order walk meets objects in the order their braces
 * appear. Returns null when the counts disagree (e.g. duplicate keys).
 */
function objectLineMap(value: unknown, lines: number[]): WeakMap<object, number> | null {
  const m = new WeakMap<object, number>();
  let k = 0;
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > 64 || v === null || typeof v !== 'object') return true;
    if (Array.isArray(v)) {
      for (const x of v) if (!walk(x, depth + 1)) return false;
      return true;
    }
    if (k >= lines.length) return false;
    m.set(v, lines[k++]);
    for (const x of Object.values(v)) if (!walk(x, depth + 1)) return false;
    return true;
  };
  return walk(value, 0) && k === lines.length ? m : null;
}

/**
 * Find the top-level values in `text` by bracket matching outside strings, noting
 * the line of each object that starts directly inside a top-level array.
 * Text outside any value (other than whitespace) is reported in `stray`.
 */
function scanDocs(text: string, firstLine: number): { docs: Doc[]; stray: number[] } {
  const docs: Doc[] = [];
  const stray: number[] = [];
  let line = firstLine;
  let depth = 0;
  let inStr = false;
  let cur: Doc | null = null;
  let strayLine = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (inStr) {
      if (c === 92) i++;
      else if (c === 34) inStr = false;
      continue;
    }
    if (depth === 0) {
      if (c === 91 || c === 123) {
        cur = { start: i, end: -1, firstLine: line, lastLine: line, elementLines: [], objectLines: [] };
        if (c === 123) cur.objectLines.push(line);
        depth = 1;
      } else if (c !== 32 && c !== 9 && c !== 13 && strayLine !== line) {
        stray.push(line);
        strayLine = line;
      }
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 91 || c === 123) {
      if (c === 123 && cur) {
        cur.objectLines.push(line);
        if (depth === 1 && text.charCodeAt(cur.start) === 91) cur.elementLines.push(line);
      }
      depth++;
    } else if (c === 93 || c === 125) {
      depth--;
      if (depth === 0 && cur) {
        cur.end = i + 1;
        cur.lastLine = line;
        docs.push(cur);
        cur = null;
      }
    }
  }
  if (cur) {
    cur.end = text.length;
    cur.lastLine = line;
    docs.push(cur); // unterminated: JSON.parse will reject it
  }
  return { docs, stray };
}

/** Running parse state: buffers lines, parses in end(). */
class IpJsonParser implements LineParser {
  private readonly buf: string[] = [];
  private bytes = 0;
  private firstLine = 0;
  private lastLine = 0;
  private overflowAt = 0;
  /** Object → line of its `{` for the document being emitted. */
  private lines: WeakMap<object, number> | null = null;
  /** Blank and banner lines (skipped). */
  private readonly skipped = new Set<number>();

  constructor(private readonly ctx: ParseContext) {}

  line(text: string, lineNo: number, out: TextSink): LineStatus {
    this.lastLine = lineNo;
    if (this.overflowAt) return 'issue';
    // Blank lines and echoes/banners (`$ ip -j route`) never start a JSON line.
    const blank = bannerText(text) !== null;
    if (blank) this.skipped.add(lineNo);
    if (this.bytes + text.length + 1 > MAX_JSON_BYTES) {
      this.overflowAt = lineNo;
      out.issue(
        lineNo,
        'too-large',
        `JSON document larger than ${MAX_JSON_BYTES} bytes; the rest is not read`,
      );
      return 'issue';
    }
    if (this.firstLine === 0) this.firstLine = lineNo;
    this.buf.push(blank ? '' : text);
    this.bytes += text.length + 1;
    return 'skipped'; // provisional; end() returns the real counts
  }

  end(out: TextSink): Partial<Counts> {
    const counts = { parsed: 0, skipped: 0, issues: 0 };
    if (this.firstLine === 0) return { ...counts, skipped: this.lastLine };
    const text = this.buf.join('\n');
    this.buf.length = 0;
    const { docs, stray } = scanDocs(text, this.firstLine);
    // Per-line status: 0 none (skipped), 1 parsed, 2 issue.
    const status = new Uint8Array(this.lastLine + 2);
    for (const l of stray) {
      out.issue(l, 'not-json', 'text outside the JSON document');
      status[l] = 2;
    }
    for (const d of docs) {
      let value: unknown;
      try {
        value = JSON.parse(text.slice(d.start, d.end));
      } catch (e) {
        out.issue(d.firstLine, 'bad-json', `cannot parse JSON: ${(e as Error).message.slice(0, 200)}`);
        status.fill(2, d.firstLine, d.lastLine + 1);
        continue;
      }
      this.lines = objectLineMap(value, d.objectLines);
      const items = Array.isArray(value) ? value : [value];
      items.forEach((o, i) => {
        const line = d.elementLines[i] ?? d.firstLine;
        if (o === null || typeof o !== 'object' || Array.isArray(o)) {
          out.issue(line, 'unknown-object', 'array element is not an object');
          return;
        }
        if (!this.emit(o as Obj, line, out))
          out.issue(line, 'unknown-object', 'object is not a route, rule, link, address or neighbour');
      });
      for (let l = d.firstLine; l <= d.lastLine; l++) if (status[l] === 0) status[l] = 1;
    }
    const lastBuffered = this.overflowAt ? this.overflowAt - 1 : this.lastLine;
    for (let l = 1; l <= this.lastLine; l++) {
      if (l > lastBuffered) counts.issues++;
      else if (status[l] !== 2 && this.skipped.has(l)) counts.skipped++;
      else {
        const s = status[l];
        counts[s === 1 ? 'parsed' : s === 2 ? 'issues' : 'skipped']++;
      }
    }
    return counts;
  }

  /** Emit the records of one object; false when it is of no known kind. */
  private emit(o: Obj, line: number, out: TextSink): boolean {
    const file = this.ctx.file;
    if (Array.isArray(o.addr_info) || (int(o.ifindex) !== undefined && str(o.ifname) !== undefined)) {
      const l = this.link(o, line);
      if (!l) return false;
      out.record(l);
      if (Array.isArray(o.addr_info)) {
        for (const a of o.addr_info as Obj[]) {
          const ip = str(a?.local);
          const prefix = int(a?.prefixlen);
          if (!ip || prefix === undefined || !isIP(ip)) continue;
          const family = str(a.family) === 'inet6' || ip.includes(':') ? 'inet6' : 'inet';
          out.record({
            type: 'address',
            file,
            line: this.lines?.get(a) ?? line,
            ifindex: l.ifindex,
            ifname: l.ifname,
            mac: l.mac,
            ip: stripZone(ip),
            prefix,
            family,
            scope: str(a.scope),
            label: str(a.label) !== undefined && a.label !== l.ifname ? str(a.label) : undefined,
            broadcast: str(a.broadcast),
            peer: str(a.address) && str(a.address) !== ip ? `${a.address}/${prefix}` : undefined,
            secondary: a.secondary === true ? true : undefined,
            flags: addrFlags(a),
          });
        }
      }
      return true;
    }
    if (Array.isArray(o.state) && str(o.dst)) {
      const ip = stripZone(str(o.dst)!);
      if (!isIP(ip)) return false;
      const state = (o.state as unknown[]).map(String).find((s) => NUD_STATES.has(s));
      const mac = str(o.lladdr) ? normMac(str(o.lladdr)!) : null;
      out.record(
        neighbor(file, line, ip, mac, {
          dev: str(o.dev),
          state: state ?? (mac === null ? 'INCOMPLETE' : undefined),
          router: 'router' in o ? true : undefined,
        }),
      );
      return true;
    }
    if (int(o.priority) !== undefined && ('src' in o || 'table' in o || 'action' in o)) {
      out.record(this.rule(o, line));
      return true;
    }
    if (str(o.dst)) {
      const r = this.route(o, line);
      if (!r) return false;
      out.record(r);
      return true;
    }
    return false;
  }

  private link(o: Obj, line: number): LinkRecord | null {
    const ifname = str(o.ifname);
    if (!ifname) return null;
    const l: LinkRecord = {
      type: 'link',
      file: this.ctx.file,
      line,
      ifindex: int(o.ifindex),
      ifname,
      flags: Array.isArray(o.flags) ? (o.flags as unknown[]).map(String) : [],
    };
    const parent = str(o.link) ?? (int(o.link_index) !== undefined ? `if${o.link_index}` : undefined);
    if (parent) l.parent = parent;
    const mac = str(o.address) ? normMac(str(o.address)!) : null;
    if (mac) l.mac = mac;
    if (str(o.link_type)) l.linkType = str(o.link_type);
    if (int(o.mtu) !== undefined) l.mtu = int(o.mtu);
    if (str(o.operstate)) l.state = str(o.operstate);
    if (str(o.master)) l.master = str(o.master);
    if (Array.isArray(o.altnames)) l.altnames = (o.altnames as unknown[]).map(String);
    return l;
  }

  private rule(o: Obj, line: number): RuleRecord {
    const pfx = (a: unknown, len: unknown): string | undefined => {
      const s = str(a);
      if (!s || s === 'all') return undefined;
      return int(len) !== undefined ? `${s}/${len}` : s;
    };
    const action = str(o.action);
    const r: RuleRecord = {
      type: 'rule',
      file: this.ctx.file,
      line,
      priority: int(o.priority)!,
      table: str(o.table) ?? action ?? 'main',
    };
    const from = pfx(o.src, o.srclen);
    const to = pfx(o.dst, o.dstlen);
    if (from) r.from = from;
    if (to) r.to = to;
    if (str(o.iif)) r.iif = str(o.iif);
    if (str(o.oif)) r.oif = str(o.oif);
    if (str(o.fwmark)) r.fwmark = str(o.fwmask) ? `${o.fwmark}/${o.fwmask}` : str(o.fwmark);
    if (action && !str(o.table)) r.action = action;
    if ('not' in o) r.not = true;
    if (int(o.suppress_prefixlen) !== undefined) r.suppressPrefixlength = int(o.suppress_prefixlen);
    return r;
  }

  private route(o: Obj, line: number): RouteRecord | null {
    const dst = normDst(str(o.dst)!);
    if (dst === null) return null;
    const routeType = str(o.type) ?? 'unicast';
    const flags = Array.isArray(o.flags) ? (o.flags as unknown[]).map(String) : [];
    const r: RouteRecord = {
      type: 'route',
      file: this.ctx.file,
      line,
      table: str(o.table) ?? defaultTable(routeType, undefined),
      routeType,
      dst,
      family: 'inet',
    };
    if (str(o.gateway)) r.gateway = stripZone(str(o.gateway)!);
    if (str(o.dev)) r.dev = str(o.dev);
    if (str(o.protocol)) r.proto = str(o.protocol);
    if (str(o.scope)) r.scope = str(o.scope);
    if (str(o.prefsrc)) r.src = stripZone(str(o.prefsrc)!);
    if (num(o.metric) !== undefined) r.metric = num(o.metric);
    if (str(o.pref)) r.pref = str(o.pref);
    if (flags.includes('onlink')) r.onlink = true;
    if (flags.includes('linkdown')) r.linkdown = true;
    if (Array.isArray(o.metrics)) {
      for (const m of o.metrics as Obj[]) {
        const mtu = m && typeof m === 'object' ? (m.mtu ?? (m.lock as Obj | undefined)?.mtu) : undefined;
        if (int(mtu) !== undefined) r.mtu = int(mtu);
      }
    }
    if (Array.isArray(o.nexthops)) {
      r.nexthops = (o.nexthops as Obj[]).map((n) => {
        const h: Nexthop = {};
        if (str(n?.gateway)) h.gateway = stripZone(str(n.gateway)!);
        if (str(n?.dev)) h.dev = str(n.dev);
        if (int(n?.weight) !== undefined) h.weight = int(n.weight);
        if (Array.isArray(n?.flags) && n.flags.length) h.flags = (n.flags as unknown[]).map(String);
        return h;
      });
    }
    r.family = routeFamily(r, str(o.family) === 'inet6' ? 'inet6' : undefined);
    return r;
  }
}

/** Address flags kept from `addr_info` booleans (the same set the text reader keeps). */
function addrFlags(a: Obj): string[] | undefined {
  const f: string[] = [];
  for (const k of ADDR_FLAGS) if (a[k] === true) f.push(k);
  return f.length ? f : undefined;
}

/** Sniff: a JSON array whose first object has iproute2 keys. */
function sniffJson(lines: readonly string[]): number {
  let first = -1;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || bannerText(lines[i]) !== null) continue;
    first = i;
    break;
  }
  if (first < 0 || !lines[first].trim().startsWith('[')) return 0;
  const head = lines.slice(first, first + 40).join('\n');
  if (/"addr_info"\s*:|"ifindex"\s*:\s*\d+\s*,\s*(?:"link(?:_index)?"\s*:[^,]*,\s*)?"ifname"/.test(head))
    return 0.95;
  if (/"dst"\s*:\s*"[^"]*"\s*,\s*"dev"\s*:[^}]*"state"\s*:\s*\[/.test(head)) return 0.95;
  if (/"priority"\s*:\s*\d+\s*,\s*(?:"not"\s*:\s*null\s*,\s*)?"src"\s*:/.test(head)) return 0.95;
  if (
    /"dst"\s*:\s*"(?:default|[0-9a-fA-F.:]+(?:\/\d+)?)"/.test(head) &&
    /"(?:gateway|dev|protocol|prefsrc|flags|metric|type)"\s*:/.test(head)
  )
    return 0.9;
  if (/^\[\s*\]$/.test(head.trim())) return 0.3; // an empty table
  return 0;
}

const samples: FormatSample[] = [
  {
    note: 'ip -j route show table all (iproute2 6.1, captured)',
    input:
      '[{"dst":"default","gateway":"192.0.2.1","dev":"eth1","table":"100","protocol":"static","prefsrc":"192.0.2.10","flags":[]},' +
      '{"dst":"default","gateway":"203.0.113.1","dev":"eth0","flags":["onlink","linkdown"]},' +
      '{"type":"prohibit","dst":"10.97.0.0/16","metric":10,"flags":[]},' +
      '{"dst":"192.0.2.99","gateway":"192.0.2.1","dev":"eth1","flags":[],"metrics":[{"mtu":1400}]},' +
      '{"dst":"198.18.0.0/15","protocol":"static","flags":[],"nexthops":[{"gateway":"192.0.2.1","dev":"eth1","weight":1,"flags":[]},{"gateway":"192.0.2.2","dev":"eth1","weight":2,"flags":[]}]},' +
      '{"type":"local","dst":"192.0.2.10","dev":"eth1","table":"local","protocol":"kernel","scope":"host","prefsrc":"192.0.2.10","flags":[]},' +
      '{"type":"unreachable","dst":"2001:db8:dead::/48","dev":"lo","metric":1024,"flags":[],"pref":"medium"}]',
    records: [
      {
        type: 'route',
        line: 1,
        table: '100',
        dst: 'default',
        gateway: '192.0.2.1',
        proto: 'static',
        src: '192.0.2.10',
        family: 'inet',
      },
      { table: 'main', dst: 'default', onlink: true, linkdown: true },
      { routeType: 'prohibit', dst: '10.97.0.0/16', metric: 10 },
      { dst: '192.0.2.99/32', mtu: 1400 },
      {
        dst: '198.18.0.0/15',
        nexthops: [
          { gateway: '192.0.2.1', weight: 1 },
          { gateway: '192.0.2.2', weight: 2 },
        ],
      },
      { table: 'local', routeType: 'local', dst: '192.0.2.10/32', scope: 'host' },
      { routeType: 'unreachable', family: 'inet6', pref: 'medium' },
    ],
  },
  {
    note: 'ip -j -p route (pretty-printed): line numbers of objects',
    input: [
      '[ {',
      '        "dst": "default",',
      '        "gateway": "203.0.113.1",',
      '        "dev": "eth0",',
      '        "flags": [ "onlink","linkdown" ]',
      '    },{',
      '        "dst": "192.0.2.0/24",',
      '        "dev": "eth1",',
      '        "protocol": "kernel",',
      '        "scope": "link",',
      '        "prefsrc": "192.0.2.10",',
      '        "flags": [ ]',
      '    } ]',
    ].join('\n'),
    records: [
      { line: 1, dst: 'default', gateway: '203.0.113.1', dev: 'eth0' },
      { line: 6, dst: '192.0.2.0/24', scope: 'link', src: '192.0.2.10' },
    ],
  },
  {
    note: 'ip -j addr (captured): link + addresses, secondary, label',
    input:
      '[{"ifindex":3,"link":"eth0","ifname":"veth-x","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"52:62:a8:0c:ed:d0","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},' +
      '{"ifindex":8,"link_index":7,"ifname":"eth1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:01:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":1,"addr_info":[' +
      '{"family":"inet","local":"198.51.100.5","prefixlen":24,"broadcast":"198.51.100.255","scope":"global","label":"eth1:vip","valid_life_time":4294967295,"preferred_life_time":4294967295},' +
      '{"family":"inet","local":"192.0.2.11","prefixlen":24,"scope":"global","secondary":true,"label":"eth1","valid_life_time":4294967295,"preferred_life_time":4294967295},' +
      '{"family":"inet6","local":"2001:db8::10","prefixlen":64,"scope":"global","nodad":true,"valid_life_time":4294967295,"preferred_life_time":4294967295}]}]',
    records: [
      { type: 'link', ifindex: 3, ifname: 'veth-x', parent: 'eth0', state: 'DOWN', mac: '52:62:a8:0c:ed:d0' },
      {
        type: 'link',
        ifindex: 8,
        ifname: 'eth1',
        parent: 'if7',
        mac: '02:00:00:00:01:01',
        linkType: 'ether',
      },
      {
        type: 'address',
        ifindex: 8,
        ifname: 'eth1',
        mac: '02:00:00:00:01:01',
        ip: '198.51.100.5',
        prefix: 24,
        label: 'eth1:vip',
        broadcast: '198.51.100.255',
      },
      { type: 'address', ip: '192.0.2.11', secondary: true, label: undefined },
      { type: 'address', ip: '2001:db8::10', prefix: 64, family: 'inet6', flags: ['nodad'] },
    ],
  },
  {
    note: 'ip -j neigh (captured): FAILED without lladdr, router flag as null',
    input:
      '[{"dst":"192.0.2.31","dev":"eth1","lladdr":"02:00:00:00:00:31","state":["STALE"]},{"dst":"192.0.2.35","dev":"eth1","state":["FAILED"]},' +
      '{"dst":"2001:db8::1","dev":"eth1","lladdr":"02:00:00:00:00:01","router":null,"state":["STALE"]}]',
    records: [
      { type: 'neighbor', ip: '192.0.2.31', mac: '02:00:00:00:00:31', dev: 'eth1', state: 'STALE' },
      { type: 'neighbor', ip: '192.0.2.35', mac: null, state: 'FAILED' },
      { type: 'neighbor', ip: '2001:db8::1', router: true },
    ],
  },
  {
    note: 'ip -j rule (captured)',
    input:
      '[{"priority":0,"src":"all","table":"local"},{"priority":200,"src":"all","fwmark":"0x1","fwmask":"0xff","table":"100"},' +
      '{"priority":300,"src":"all","dst":"198.51.100.0","dstlen":24,"iif":"eth1","table":"main"},' +
      '{"priority":320,"not":null,"src":"all","dst":"10.0.0.0","dstlen":8,"table":"100"},' +
      '{"priority":340,"src":"10.66.0.0","srclen":16,"action":"prohibit"}]',
    records: [
      { type: 'rule', priority: 0, table: 'local', from: undefined },
      { priority: 200, fwmark: '0x1/0xff', table: '100' },
      { priority: 300, to: '198.51.100.0/24', iif: 'eth1', table: 'main' },
      { priority: 320, not: true, to: '10.0.0.0/8' },
      { priority: 340, from: '10.66.0.0/16', table: 'prohibit', action: 'prohibit' },
    ],
  },
  {
    note: 'ip -j -p link (captured): bridge port with master, veth peer',
    input: [
      '[ {',
      '        "ifindex": 6,',
      '        "link": "vx1",',
      '        "ifname": "vx0",',
      '        "flags": [ "NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN" ],',
      '        "mtu": 1500,',
      '        "qdisc": "noqueue",',
      '        "master": "br1",',
      '        "operstate": "LOWERLAYERDOWN",',
      '        "linkmode": "DEFAULT",',
      '        "group": "default",',
      '        "txqlen": 1000,',
      '        "link_type": "ether",',
      '        "address": "62:44:9a:11:ec:89",',
      '        "broadcast": "ff:ff:ff:ff:ff:ff"',
      '    },{',
      '        "ifindex": 8,',
      '        "link_index": 7,',
      '        "ifname": "eth1",',
      '        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],',
      '        "mtu": 1500,',
      '        "qdisc": "noqueue",',
      '        "operstate": "UP",',
      '        "linkmode": "DEFAULT",',
      '        "group": "default",',
      '        "txqlen": 1000,',
      '        "link_type": "ether",',
      '        "address": "02:00:00:00:01:01",',
      '        "broadcast": "ff:ff:ff:ff:ff:ff",',
      '        "link_netnsid": 1',
      '    } ]',
    ].join('\n'),
    records: [
      {
        type: 'link',
        line: 1,
        ifindex: 6,
        ifname: 'vx0',
        parent: 'vx1',
        master: 'br1',
        state: 'LOWERLAYERDOWN',
      },
      {
        type: 'link',
        line: 16,
        ifindex: 8,
        ifname: 'eth1',
        parent: 'if7',
        mac: '02:00:00:00:01:01',
        mtu: 1500,
      },
    ],
  },
  {
    note: 'a broken document is an issue on every line it spans',
    input: ['[ {', '        "dst": "default",', '        "gateway": "203.0.113.1",'].join('\n'),
    records: [],
    issues: 1,
  },
];

/** The iproute2 JSON format (`ip -j …`). */
export const ipJson: TextFormat = {
  id: 'ip-json',
  title: 'iproute2 JSON (`ip -j route|addr|link|neigh|rule`, also `-p`)',
  sniff: (lines) => sniffJson(lines),
  create: (ctx) => new IpJsonParser(ctx),
  maxLineBytes: 64 << 20,
  samples,
};

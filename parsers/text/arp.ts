/**
 * ARP caches as `arp` prints them on Linux (net-tools), macOS/BSD and Windows.
 *
 *   ? (192.0.2.31) at 02:00:00:00:00:31 [ether] on eth1            Linux arp -a / -an
 *   ? (192.0.2.1) at <incomplete> on eth1
 *   gw.lan (192.0.2.30) at 02:00:00:00:00:30 [ether] PERM on eth1
 *
 *   Address                  HWtype  HWaddress           Flags Mask            Iface
 *   192.0.2.31               ether   02:00:00:00:00:31   C                     eth1   Linux arp -n
 *   192.0.2.35                       (incomplete)                              eth1
 *
 *   ? (192.168.1.1) at 0:c:29:ab:cd:ef on en0 ifscope [ethernet]            macOS
 *   ? (10.0.0.9) at (incomplete) on em0 expired [ethernet]                 FreeBSD
 *
 *   Interface: 192.168.1.50 --- 0x4                                        Windows (any language:
 *     Internet Address      Physical Address      Type                      "Schnittstelle: …",
 *     192.168.1.1           00-11-22-33-44-55     dynamic                   "Internetadresse …")
 *
 * MACs are normalised (`0:c:29:…` → `00:0c:29:…`, dashes → colons); `mac` is null
 * for incomplete entries. Permanent/static entries get state PERMANENT.
 */
import type { NeighborRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import {
  bannerText,
  isIP,
  isIPv4,
  looksLikeJson,
  normMac,
  sniffShare,
  stripZone,
  tokens,
  uncolor,
} from './netstate/common.js';
import { neighbor } from './netstate/emit.js';

/** `name (ip) at hw rest` — Linux, macOS and BSD `arp -a`. */
const BSD_STYLE = /^(\S+) \(([^)\s]+)\) at (\S+)(.*)$/;
/** Windows block header in any language: `Interface: 192.168.1.50 --- 0x4`. */
const WIN_BLOCK = /^\s*[^\s:][^:]{0,40}:\s*(\d{1,3}(?:\.\d{1,3}){3})\s+---\s+0x([0-9a-fA-F]+)\s*$/;
/** Windows entry: `  192.168.1.1   00-11-22-33-44-55   dynamic`. */
const WIN_ENTRY = /^\s+(\d{1,3}(?:\.\d{1,3}){3})\s+([0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2}){5})\s+(\S+)\s*$/;
/** Linux `arp -n` header. */
const NT_HEADER = /^Address\s+HWtype\s+HWaddress\s+Flags\s+Mask\s+Iface/;

/** Windows type column, localised: dynamic/dynamisch/dynamique/dinámico, static/statisch/statique/estático. */
function windowsState(type: string): string | undefined {
  const t = type.toLowerCase();
  if (/^(?:stat|estát|estat|statico|statyczny)/.test(t)) return 'PERMANENT';
  if (/^(?:invalid|ungültig|non valide|no válido|non valido)/.test(t)) return 'FAILED';
  return undefined;
}

/** Sniff: any of the three styles. */
function isArpLine(l: string): boolean {
  return (
    (BSD_STYLE.test(l) &&
      / at (?:[0-9a-fA-F:]{3,}|<incomplete>|\(incomplete\)|incomplete)(?=\s|$)/.test(l)) ||
    WIN_BLOCK.test(l) ||
    WIN_ENTRY.test(l) ||
    NT_HEADER.test(l) ||
    /^\s+(?:Internet Address|Internetadresse|Adresse Internet|Dirección de Internet|Indirizzo Internet)\s/.test(
      l,
    )
  );
}

/** Running parse state of one arp file. */
class ArpParser implements LineParser {
  /** Windows block: the interface address and index. */
  private win: { ifaddr: string; ifindex: number } | null = null;
  private netTools = false;

  constructor(private readonly ctx: ParseContext) {}

  private bsdStyle(m: RegExpExecArray, lineNo: number, text: string, out: TextSink): LineStatus {
    const ip = stripZone(m[2]);
    if (!isIP(ip)) {
      out.issue(lineNo, 'bad-neighbor', `not an address: ${m[2].slice(0, 60)}`);
      return 'issue';
    }
    const hw = m[3];
    const rest: Partial<NeighborRecord> = { text: displayText(text) };
    if (m[1] !== '?') rest.hostname = m[1];
    let mac: string | null = null;
    if (hw === '<incomplete>' || hw === '(incomplete)' || hw === 'incomplete') rest.state = 'INCOMPLETE';
    else if (hw !== '*' && hw !== '<from_interface>') {
      mac = normMac(hw);
      if (mac === null) {
        out.issue(lineNo, 'bad-mac', `unreadable hardware address ${hw.slice(0, 60)}`);
        return 'issue';
      }
    }
    const t = tokens(m[4]);
    for (let i = 0; i < t.length; i++) {
      const k = t[i];
      if (k === 'on' && t[i + 1] !== undefined) rest.dev = t[++i];
      else if (k === 'PERM' || k === 'permanent') rest.state = 'PERMANENT';
    }
    out.record(neighbor(this.ctx.file, lineNo, ip, mac, rest));
    return 'parsed';
  }

  /** `arp -n` table row: ADDRESS [HWTYPE HWADDRESS FLAGS [MASK]] IFACE, or ADDRESS (incomplete) IFACE. */
  private netToolsRow(lineNo: number, text: string, out: TextSink): LineStatus {
    const t = tokens(text);
    const ip = t[0];
    if (!isIP(ip)) {
      out.issue(
        lineNo,
        'unresolved-name',
        `arp printed a name instead of an address (use arp -n): ${text.slice(0, 80)}`,
      );
      return 'issue';
    }
    const rest: Partial<NeighborRecord> = { text: displayText(text) };
    let mac: string | null = null;
    if (t[1] === '(incomplete)') {
      rest.state = 'INCOMPLETE';
      if (t.length > 2) rest.dev = t[t.length - 1];
    } else if (t.length >= 5) {
      mac = normMac(t[2]);
      if (mac === null) {
        out.issue(lineNo, 'bad-mac', `unreadable hardware address ${t[2].slice(0, 60)}`);
        return 'issue';
      }
      if (t[3].includes('M')) rest.state = 'PERMANENT';
      rest.dev = t[t.length - 1];
    } else {
      out.issue(lineNo, 'bad-neighbor', `unreadable arp table row: ${text.slice(0, 120)}`);
      return 'issue';
    }
    out.record(neighbor(this.ctx.file, lineNo, ip, mac, rest));
    return 'parsed';
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    if (bannerText(text) !== null) return 'skipped';
    const b = BSD_STYLE.exec(text);
    if (b) return this.bsdStyle(b, lineNo, text, out);
    const w = WIN_BLOCK.exec(text);
    if (w) {
      this.win = { ifaddr: w[1], ifindex: Number.parseInt(w[2], 16) };
      return 'skipped';
    }
    const e = WIN_ENTRY.exec(text);
    if (e) {
      const rest: Partial<NeighborRecord> = { text: displayText(text), state: windowsState(e[3]) };
      if (rest.state === undefined) delete rest.state;
      if (this.win) {
        rest.ifaddr = this.win.ifaddr;
        rest.ifindex = this.win.ifindex;
      }
      let mac = normMac(e[2]);
      if (mac === '00:00:00:00:00:00' && rest.state === 'FAILED') mac = null;
      out.record(neighbor(this.ctx.file, lineNo, e[1], mac, rest));
      return 'parsed';
    }
    if (NT_HEADER.test(text)) {
      this.netTools = true;
      return 'skipped';
    }
    if (this.win && /^\s+\S/.test(text) && !isIPv4(tokens(text)[0])) return 'skipped'; // localised column header
    if (
      /^No ARP Entries Found|^Keine ARP-Einträge gefunden|^arp: in \d+ entries no match found/i.test(
        text.trim(),
      )
    )
      return 'skipped';
    if (this.netTools) return this.netToolsRow(lineNo, text, out);
    out.issue(lineNo, 'bad-neighbor', `not an arp line: ${text.slice(0, 120)}`);
    return 'issue';
  }
}

const samples: FormatSample[] = [
  {
    note: 'Linux arp -an (net-tools 2.10, captured in a namespace)',
    input: [
      '? (192.0.2.31) at 02:00:00:00:00:31 [ether] on eth1',
      '? (192.0.2.35) at <incomplete> on eth1',
      '? (203.0.113.1) at <incomplete> on eth0',
      '? (192.0.2.30) at 02:00:00:00:00:30 [ether] PERM on eth1',
    ].join('\n'),
    records: [
      {
        type: 'neighbor',
        line: 1,
        ip: '192.0.2.31',
        mac: '02:00:00:00:00:31',
        dev: 'eth1',
        state: undefined,
      },
      { ip: '192.0.2.35', mac: null, state: 'INCOMPLETE', dev: 'eth1' },
      { ip: '203.0.113.1', mac: null, dev: 'eth0' },
      { ip: '192.0.2.30', state: 'PERMANENT' },
    ],
  },
  {
    note: 'Linux arp -a with resolved names',
    input: [
      '_gateway (10.0.2.2) at 52:55:0a:00:02:02 [ether] on eth0',
      'node2.lab (192.168.56.12) at 08:00:27:5e:1a:2b [ether] on eth1',
    ].join('\n'),
    records: [
      { ip: '10.0.2.2', hostname: '_gateway', mac: '52:55:0a:00:02:02', dev: 'eth0' },
      { ip: '192.168.56.12', hostname: 'node2.lab', dev: 'eth1' },
    ],
  },
  {
    note: 'Linux arp -n table (net-tools 2.10, captured)',
    input: [
      'Address                  HWtype  HWaddress           Flags Mask            Iface',
      '192.0.2.31               ether   02:00:00:00:00:31   C                     eth1',
      '192.0.2.35                       (incomplete)                              eth1',
      '192.0.2.30               ether   02:00:00:00:00:30   CM                    eth1',
    ].join('\n'),
    records: [
      { ip: '192.0.2.31', mac: '02:00:00:00:00:31', dev: 'eth1' },
      { ip: '192.0.2.35', mac: null, state: 'INCOMPLETE', dev: 'eth1' },
      { ip: '192.0.2.30', state: 'PERMANENT', dev: 'eth1' },
    ],
  },
  {
    note: 'macOS arp -a: unpadded octets, ifscope, permanent, (incomplete)',
    input: [
      '? (192.168.1.1) at 0:c:29:ab:cd:ef on en0 ifscope [ethernet]',
      'router.local (192.168.1.254) at a4:2b:b0:1:2:3 on en0 ifscope permanent [ethernet]',
      '? (192.168.1.77) at (incomplete) on en0 ifscope [ethernet]',
      '? (224.0.0.251) at 1:0:5e:0:0:fb on en0 ifscope permanent [ethernet]',
    ].join('\n'),
    records: [
      { ip: '192.168.1.1', mac: '00:0c:29:ab:cd:ef', dev: 'en0' },
      { ip: '192.168.1.254', mac: 'a4:2b:b0:01:02:03', state: 'PERMANENT', hostname: 'router.local' },
      { ip: '192.168.1.77', mac: null, state: 'INCOMPLETE' },
      { ip: '224.0.0.251', mac: '01:00:5e:00:00:fb' },
    ],
  },
  {
    note: 'FreeBSD arp -a',
    input: [
      '? (10.0.0.1) at 00:0c:29:ab:cd:ef on em0 expires in 1187 seconds [ethernet]',
      '? (10.0.0.5) at 00:0c:29:11:22:33 on em0 permanent [ethernet]',
    ].join('\n'),
    records: [
      { ip: '10.0.0.1', mac: '00:0c:29:ab:cd:ef', dev: 'em0', state: undefined },
      { ip: '10.0.0.5', state: 'PERMANENT' },
    ],
  },
  {
    note: 'Windows arp -a (CRLF, two interfaces)',
    input: [
      '',
      'Interface: 192.168.1.50 --- 0x4',
      '  Internet Address      Physical Address      Type',
      '  192.168.1.1           00-11-22-33-44-55     dynamic   ',
      '  192.168.1.255         ff-ff-ff-ff-ff-ff     static    ',
      '',
      'Interface: 172.20.96.1 --- 0x1c',
      '  Internet Address      Physical Address      Type',
      '  172.20.111.255        FF-FF-FF-FF-FF-FF     static    ',
    ].join('\r\n'),
    records: [
      {
        line: 4,
        ip: '192.168.1.1',
        mac: '00:11:22:33:44:55',
        ifaddr: '192.168.1.50',
        ifindex: 4,
        state: undefined,
      },
      { ip: '192.168.1.255', mac: 'ff:ff:ff:ff:ff:ff', state: 'PERMANENT' },
      { ip: '172.20.111.255', ifaddr: '172.20.96.1', ifindex: 28 },
    ],
  },
  {
    note: 'Windows arp -a, German',
    input: [
      'Schnittstelle: 192.168.178.23 --- 0xb',
      '  Internetadresse       Physische Adresse     Typ',
      '  192.168.178.1         3c-a6-2f-11-22-33     dynamisch ',
      '  224.0.0.22            01-00-5e-00-00-16     statisch  ',
    ].join('\n'),
    records: [
      { ip: '192.168.178.1', mac: '3c:a6:2f:11:22:33', ifindex: 11, state: undefined },
      { ip: '224.0.0.22', state: 'PERMANENT' },
    ],
  },
];

/** The `arp` format (Linux, macOS/BSD, Windows). */
export const arp: TextFormat = {
  id: 'arp',
  title: '`arp -a` / `arp -an` / `arp -n` ARP caches (Linux, macOS/BSD, Windows)',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    return sniffShare(lines, isArpLine);
  },
  create: (ctx) => new ArpParser(ctx),
  samples,
};

/**
 * Differential test against tshark, packet by packet: for every corpus capture
 * tshark can read, the fields the decoders produce (addresses, ports, TCP header
 * and options, ICMP type and quoted addresses/ports, ARP opcode, VLAN ids, SLL
 * packet type, Ethernet source) must equal tshark's. IP reassembly is switched off
 * in tshark so fragments compare one to one. Skipped without the corpus or tshark.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../parsers/capture/read.js';
import { decodeFrame } from '../../../parsers/layers/decode.js';
import { ipString, macString } from '../../../parsers/layers/format.js';
import { DecodedPacket } from '../../../parsers/layers/packet.js';
import { corpusAvailable, corpusFile, manifest, oracle } from '../../helpers/corpus.js';

const tsharkAvailable = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;
if (!tsharkAvailable) console.warn('tshark not found; tshark differential tests skipped');

/** Files whose frame numbering differs between tshark and the reader (tshark numbers custom blocks). */
const NUMBERING_DIFFERS = new Set(['test102.pcapng', 'test202.pcapng']);

const FIELDS = [
  'frame.number',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.window_size_value',
  'tcp.len',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.timestamp.tsval',
  'icmp.type',
  'icmpv6.type',
  'arp.opcode',
  'vlan.id',
  'vlan.priority',
  'vlan.dei',
  'sll.pkttype',
  'eth.src',
] as const;
type Field = (typeof FIELDS)[number];

function tshark(file: string): Map<number, Record<Field, string[]>> {
  const args = ['-r', corpusFile(file), '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'];
  args.push('-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|');
  for (const f of FIELDS) args.push('-e', f);
  // tshark exits non-zero on files damaged part-way; what it printed before still counts.
  const out = spawnSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).stdout;
  const m = new Map<number, Record<Field, string[]>>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    const rec = Object.fromEntries(FIELDS.map((f, i) => [f, (cols[i] ?? '').split('|').filter(Boolean)]));
    m.set(Number(cols[0]), rec as Record<Field, string[]>);
  }
  return m;
}

const files = manifest()
  .map((r) => r.file)
  .filter((f) => oracle(f, 'tcpconv.txt') !== null && !NUMBERING_DIFFERS.has(f));

describe.skipIf(!corpusAvailable || !tsharkAvailable)('decoders agree with tshark per packet', () => {
  it.each(files)('%s', async (file) => {
    const want = tshark(file);
    const pkt = new DecodedPacket();
    const diffs: string[] = [];
    let compared = 0;
    await readCapture(corpusFile(file), {
      onIssue() {},
      onFrame(f) {
        decodeFrame(pkt, f.buf, f.offset, f.caplen, f.linktype);
        const t = want.get(f.packet);
        if (!t) {
          diffs.push(`#${f.packet}: not in tshark output`);
          return;
        }
        compared++;
        const eq = (what: string, exp: string | undefined, got: string | number) => {
          if ((exp ?? '') !== String(got) && diffs.length < 20)
            diffs.push(`#${f.packet} ${what}: tshark ${exp} ours ${got}`);
        };
        const has = (id: string) => pkt.layers.includes(id);
        const icmpError =
          (has('icmp') && [3, 4, 5, 11, 12].includes(pkt.icmpType)) ||
          (has('icmpv6') && pkt.icmpType >= 1 && pkt.icmpType <= 4);
        const v = pkt.ipVersion;
        if (v) {
          // tshark lists outer then inner (tunnels, ICMP quotes); we keep the innermost header of
          // our version (UDP tunnels such as Teredo are not decoded), or the outer one + the quote.
          const src = v === 4 ? t['ip.src'] : t['ipv6.src'];
          const dst = v === 4 ? t['ip.dst'] : t['ipv6.dst'];
          const i = icmpError ? 0 : src.length - 1;
          eq('src', src[i], ipString(pkt.buf, pkt.srcOff, v));
          eq('dst', dst[i], ipString(pkt.buf, pkt.dstOff, v));
          if (icmpError && src.length > 1) {
            eq(
              'quoted src',
              src[1],
              pkt.quoted.valid ? ipString(pkt.buf, pkt.quoted.srcOff, pkt.quoted.ipVersion) : '',
            );
            eq(
              'quoted dst',
              dst[1],
              pkt.quoted.valid ? ipString(pkt.buf, pkt.quoted.dstOff, pkt.quoted.ipVersion) : '',
            );
          }
        }
        const tcpPorts = t['tcp.srcport'];
        const udpPorts = t['udp.srcport'];
        if (icmpError) {
          const q = tcpPorts[0] ?? udpPorts[0];
          if (q !== undefined) eq('quoted sport', q, pkt.quoted.sport);
        } else if (has('tcp') || (tcpPorts.length && !pkt.fragment)) {
          const last = (k: Field, dflt = '') => t[k][t[k].length - 1] ?? dflt;
          eq('tcp sport', last('tcp.srcport'), pkt.sport);
          eq('tcp dport', last('tcp.dstport'), pkt.dport);
          if (has('tcp')) {
            eq('tcp flags', String(Number.parseInt(last('tcp.flags', '-1'), 16)), pkt.tcpFlags);
            eq('tcp seq', last('tcp.seq_raw'), pkt.seq);
            eq('tcp ack', last('tcp.ack_raw'), pkt.ack);
            eq('tcp window', last('tcp.window_size_value'), pkt.window);
            eq('tcp len', last('tcp.len'), pkt.payloadWireLen);
            eq('tcp mss', last('tcp.options.mss_val', '-1'), pkt.mss);
            eq('tcp wscale', last('tcp.options.wscale.shift', '-1'), pkt.wscale);
            eq('tcp tsval', last('tcp.options.timestamp.tsval', '-1'), pkt.tsVal);
          }
        } else if (has('udp') || (udpPorts.length && !pkt.fragment)) {
          eq('udp sport', udpPorts[udpPorts.length - 1], pkt.sport);
          eq('udp dport', t['udp.dstport'][t['udp.dstport'].length - 1], pkt.dport);
        }
        const icmpType = [...t['icmp.type'], ...t['icmpv6.type']][0];
        if (icmpType !== undefined || pkt.icmpType >= 0)
          eq('icmp type', icmpType, pkt.icmpType >= 0 ? pkt.icmpType : '');
        if (t['arp.opcode'].length || pkt.arpOp >= 0)
          eq('arp opcode', t['arp.opcode'][0], pkt.arpOp >= 0 ? pkt.arpOp : '');
        const vl = t['vlan.id'];
        eq('vlan', `${vl[0] ?? -1}/${vl[vl.length - 1] ?? -1}`, `${pkt.vlanOuter}/${pkt.vlanInner}`);
        if (vl.length) {
          const pcp = t['vlan.priority'];
          const dei = t['vlan.dei'].map((d) => d === '1' || d === 'True');
          eq('vlan pcp', `${pcp[0]}/${pcp[pcp.length - 1]}`, `${pkt.vlanPcp}/${pkt.vlanInnerPcp}`);
          eq('vlan dei', `${dei[0]}/${dei[dei.length - 1]}`, `${pkt.vlanDei}/${pkt.vlanInnerDei}`);
        }
        if (t['sll.pkttype'].length || pkt.pktType >= 0)
          eq('sll pkttype', t['sll.pkttype'][0], pkt.pktType >= 0 ? pkt.pktType : '');
        if (pkt.layers[0] === 'ethernet') eq('eth src', t['eth.src'][0], macString(pkt.buf, pkt.macSrcOff));
      },
    });
    expect(diffs, diffs.join('\n')).toEqual([]);
    expect(compared).toBe(want.size);
  });
});

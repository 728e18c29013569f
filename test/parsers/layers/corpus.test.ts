/**
 * Decodes every packet of every corpus capture (read with readCapture) and checks
 * the result against the tshark oracles: no exception, TCP endpoints and
 * per-direction frame counts equal to tshark's TCP conversations
 * (oracle/<file>.tcpconv-exact.tsv), and IP decoded on every IP-carrying link type.
 */
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../parsers/capture/read.js';
import { decodeFrame } from '../../../parsers/layers/decode.js';
import { ipString } from '../../../parsers/layers/format.js';
import { DecodedPacket } from '../../../parsers/layers/packet.js';
import { CORPUS_SKIP, corpusAvailable, corpusFile, manifest, oracle } from '../../helpers/corpus.js';

/** Link types that carry IP directly or via an EtherType / address family. */
const IP_LINKTYPES = new Set([0, 1, 12, 101, 113, 228, 276]);

interface FileResult {
  packets: number;
  /** "A:port B:port" (A < B as strings) → [frames A→B, frames B→A]. */
  tcp: Map<string, [number, number]>;
  /** Packets whose link layer announced IP but no IP layer was decoded (with why). */
  ipMissing: string[];
  /** Packets per link type that decoded an IP layer. */
  ipByLinktype: Map<number, number>;
  issues: Map<string, number>;
}

async function decodeFile(name: string): Promise<FileResult> {
  const pkt = new DecodedPacket();
  const res: FileResult = {
    packets: 0,
    tcp: new Map(),
    ipMissing: [],
    ipByLinktype: new Map(),
    issues: new Map(),
  };
  await readCapture(corpusFile(name), {
    onIssue() {},
    onFrame(f) {
      res.packets++;
      decodeFrame(pkt, f.buf, f.offset, f.caplen, f.linktype);
      if (pkt.issueCode) res.issues.set(pkt.issueCode, (res.issues.get(pkt.issueCode) ?? 0) + 1);
      const hasIp = pkt.layers.includes('ipv4') || pkt.layers.includes('ipv6');
      if (hasIp) res.ipByLinktype.set(f.linktype, (res.ipByLinktype.get(f.linktype) ?? 0) + 1);
      const announced =
        pkt.etherType === 0x0800 || pkt.etherType === 0x86dd || f.linktype === 228 || f.linktype === 229;
      if (IP_LINKTYPES.has(f.linktype) && announced && !hasIp) {
        res.ipMissing.push(`#${f.packet} ${pkt.layers.join('/')} ${pkt.issueCode}: ${pkt.issueMessage}`);
      }
      if (pkt.layers.includes('tcp')) {
        const s = `${ipString(pkt.buf, pkt.srcOff, pkt.ipVersion)}:${pkt.sport}`;
        const d = `${ipString(pkt.buf, pkt.dstOff, pkt.ipVersion)}:${pkt.dport}`;
        const fwd = s < d;
        const k = fwd ? `${s} ${d}` : `${d} ${s}`;
        const c = res.tcp.get(k) ?? [0, 0];
        res.tcp.set(k, c);
        c[fwd ? 0 : 1]++;
      }
    },
  });
  return res;
}

/** tshark conversations merged by endpoint pair (tcp.stream splits reused ports). */
function oracleTcp(text: string): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = head.split('\t');
  const col = (r: string[], n: string) => r[cols.indexOf(n)];
  for (const line of rows) {
    const r = line.split('\t');
    const a = col(r, 'addr_a');
    const b = col(r, 'addr_b');
    const ab = Number(col(r, 'frames_a_to_b'));
    const ba = Number(col(r, 'frames_b_to_a'));
    const fwd = a < b;
    const k = fwd ? `${a} ${b}` : `${b} ${a}`;
    const c = m.get(k) ?? [0, 0];
    m.set(k, c);
    c[0] += fwd ? ab : ba;
    c[1] += fwd ? ba : ab;
  }
  return m;
}

const rows = manifest();

describe.skipIf(!corpusAvailable)('layer decoders on the pcap corpus', () => {
  if (!corpusAvailable) it.skip(CORPUS_SKIP, () => {});

  it.each(rows.map((r) => ({ file: r.file, linktypes: r.linktypes })))('$file', async ({ file }) => {
    const res = await decodeFile(file);
    // IP decoded wherever the link layer says IP follows.
    expect(res.ipMissing, res.ipMissing.slice(0, 5).join('\n')).toEqual([]);
    const exact = oracle(file, 'tcpconv-exact.tsv');
    if (exact !== null) {
      const want = oracleTcp(exact);
      expect(Object.fromEntries(res.tcp)).toEqual(Object.fromEntries(want));
    } else if (oracle(file, 'tcpconv.txt') !== null) {
      // tshark read the file and found no TCP.
      expect([...res.tcp.keys()]).toEqual([]);
    }
  });

  it('every IP-carrying link type in the corpus decodes to IP', async () => {
    const seen = new Map<number, number>();
    for (const r of rows) {
      if (!oracle(r.file, 'tcpconv.txt')) continue; // tshark rejected the file
      const res = await decodeFile(r.file);
      for (const [lt, n] of res.ipByLinktype) seen.set(lt, (seen.get(lt) ?? 0) + n);
    }
    for (const lt of IP_LINKTYPES) expect(seen.get(lt) ?? 0, `link type ${lt}`).toBeGreaterThan(0);
  });
});

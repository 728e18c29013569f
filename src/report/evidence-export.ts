/**
 * Evidence export (`--export-evidence DIR`): the packets of the flows the
 * findings cite, one pcapng per flow with an interface block per interface the
 * packets crossed, so a ticket carries exactly the packets that prove the point
 * and anyone can open them in Wireshark. An `index.json` lists what was written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapngWriter } from '../../parsers/capture/write.js';
import type { CapturePoint } from '../engine/segments.js';
import { analyzeCapture } from '../flows/analyze.js';
import type { Analysis } from '../model/analysis.js';

/** One exported flow. */
export interface ExportedFlow {
  flow: string;
  file: string;
  packets: number;
  interfaces: string[];
  findings: string[];
}

/** Flow ids cited by findings (evidence references and `facts.flows` / `facts.joinedFlows`). */
export function citedFlows(a: Analysis): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (flow: string, finding: string) => {
    const l = out.get(flow) ?? [];
    if (!l.includes(finding)) l.push(finding);
    out.set(flow, l);
  };
  const known = new Set(a.flows.map((f) => f.id));
  for (const f of a.findings) {
    for (const e of f.evidence) if (e.flow && known.has(e.flow)) add(e.flow, f.id);
    for (const k of ['flows', 'joinedFlows']) {
      const v = f.facts?.[k];
      if (Array.isArray(v)) for (const id of v) if (known.has(String(id))) add(String(id), f.id);
    }
  }
  return out;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * Write one pcapng per cited flow into `dir`. `sources` maps a merged flow id to
 * the per-file flow ids it combines; `captures` says how to re-read each file (by bundle path).
 */
export async function exportEvidence(
  a: Analysis,
  sources: ReadonlyMap<string, ReadonlyArray<{ file: string; flow: { id: string } }>>,
  captures: ReadonlyMap<string, CapturePoint>,
  dir: string,
): Promise<ExportedFlow[]> {
  mkdirSync(dir, { recursive: true });
  const cited = citedFlows(a);
  // file → per-file id → merged id
  const wanted = new Map<string, Map<string, string>>();
  for (const flow of [...cited.keys()].sort()) {
    for (const s of sources.get(flow) ?? []) {
      const m = wanted.get(s.file) ?? new Map<string, string>();
      m.set(s.flow.id, flow);
      wanted.set(s.file, m);
    }
  }
  const writers = new Map<string, { w: PcapngWriter; ifaces: Map<string, number>; out: ExportedFlow }>();
  const writerFor = (flow: string) => {
    let x = writers.get(flow);
    if (!x) {
      const file = `${safe(flow)}.pcapng`;
      x = {
        w: PcapngWriter.toFile(join(dir, file)),
        ifaces: new Map(),
        out: { flow, file, packets: 0, interfaces: [], findings: cited.get(flow) ?? [] },
      };
      writers.set(flow, x);
    }
    return x;
  };
  try {
    for (const [file, ids] of [...wanted.entries()].sort()) {
      const src = captures.get(file);
      if (!src) continue;
      const names = src.ifindexNames ?? {};
      await analyzeCapture(src.abs, {
        file: src.file,
        node: src.node,
        interfaceName: src.iface,
        ifindexName: (i) => names[String(i)],
        onPacket: (_pkt, fr, iface, t) => {
          const merged = t.flow ? ids.get(t.flow.id) : undefined;
          if (!merged) return;
          const x = writerFor(merged);
          const name = iface ?? `${file}#if${fr.iface}`;
          const key = `${name}|${fr.linktype}`;
          let id = x.ifaces.get(key);
          if (id === undefined) {
            id = x.w.addInterface({
              name,
              description: `${src.node ?? ''} ${file}`.trim(),
              linktype: fr.linktype,
            });
            x.ifaces.set(key, id);
            if (!x.out.interfaces.includes(name)) x.out.interfaces.push(name);
          }
          x.w.writePacket(id, fr.sec, fr.nsec, fr.buf.subarray(fr.offset, fr.offset + fr.caplen), fr.len);
          x.out.packets++;
        },
      });
    }
  } finally {
    for (const x of writers.values()) x.w.close();
  }
  const index = [...writers.values()].map((x) => x.out).sort((p, q) => p.flow.localeCompare(q.flow));
  writeFileSync(join(dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

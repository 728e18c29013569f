/**
 * Findings view: every finding grouped by layer (L7 → L4 → L3 → L2 → config),
 * each expandable into summary, evidence and remediation; the filter's node,
 * layer, severity and words apply.
 *
 *   L7  application (1)
 *   ▸ L7    HIGH  tls-bad-record-mac        TLS bad record MAC on 192.0.2.240:443
 *   L3  network (2)
 *   ▾ L3    CRIT  default-route-mismatch    Default route leaves by eth0 …
 *         node1 answers off-subnet clients via "default via 198.51.100.1 dev eth0" …
 */
import { type Layer, SEVERITY_RANK } from '../../model/levels.js';
import { type Filter, matcher } from '../filter.js';
import type { TuiModel } from '../model.js';
import { arraySource, type Row, type RowSource } from '../rows.js';
import { findingDetail, heading, type ViewEnv } from './common.js';
import { findingLine, ruleWidth } from './root-cause.js';

const ORDER: { layer: Layer; name: string }[] = [
  { layer: 'L7', name: 'application' },
  { layer: 'L4', name: 'transport' },
  { layer: 'L3', name: 'network' },
  { layer: 'L2', name: 'link' },
  { layer: 'config', name: 'configuration' },
];

/** Build the findings rows. */
export function findingsView(
  m: TuiModel,
  expanded: ReadonlySet<string>,
  filter: Filter,
  env: ViewEnv,
): RowSource {
  const match = matcher({ ...filter, from: undefined, to: undefined, sources: [] });
  const rows: Row[] = [];
  const rootId = m.a.rootCause?.finding;
  const inChain = new Set(m.a.rootCause?.chain ?? []);
  const ruleW = ruleWidth(m);
  for (const g of ORDER) {
    const fs = m.a.findings
      .filter((f) => f.layer === g.layer && match({ ...f, text: `${f.rule} ${f.title} ${f.summary}` }))
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
    if (!fs.length) continue;
    rows.push(heading(`${g.layer}  ${g.name}`, env, `(${fs.length})`));
    for (const f of fs) {
      const open = expanded.has(`link:${f.id}`);
      rows.push(
        findingLine(
          f,
          open,
          env,
          f.id === rootId ? ' ◀ root cause' : inChain.has(f.id) ? ' ◀ chain' : '',
          ruleW,
        ),
      );
      if (open) rows.push(...findingDetail(f, 7, env));
    }
  }
  if (!rows.length)
    rows.push({
      segs: [
        { t: m.a.findings.length ? ' no finding matches the filter' : ' no findings', c: env.pal.muted },
      ],
    });
  return arraySource([], rows, (r) => {
    const f = r.toggle ? m.findingById.get(r.toggle.slice(5)) : undefined;
    return !!f && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.high;
  });
}

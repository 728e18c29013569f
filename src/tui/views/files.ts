/**
 * Files view: coverage of every bundle file (status, format, node, parsed /
 * skipped / issues), each expandable into its first issues with location.
 *
 *   11 files · 8 parsed · 1 partial · 1 rejected · 1 unrecognised
 *   STATUS       FILE                        FORMAT    NODE     PARSED   SKIP ISSUES
 *   REJECTED     node1/capture-eth0.pcap     pcap      node1         0       0      1
 *       offset 8  bad-snaplen  pcap header claims snaplen 4294967295 …
 */
import type { FileCoverage } from '../../model/analysis.js';
import type { TuiModel } from '../model.js';
import { arraySource, type Row, type RowSource, type Seg } from '../rows.js';
import { cell, cellRight, safe } from '../text.js';
import type { ViewEnv } from './common.js';

/** Whether a file's coverage is a problem (`e`/`E`). */
export function fileHasProblem(f: FileCoverage): boolean {
  return f.issues > 0 || f.status === 'rejected' || f.status === 'unreadable' || f.status === 'partial';
}

/** Build the files rows. */
export function filesView(m: TuiModel, expanded: ReadonlySet<string>, env: ViewEnv): RowSource {
  const { pal, width } = env;
  const files = m.a.coverage.files;
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  const summary = `${files.length} files · ${[...counts].map(([s, n]) => `${n} ${s}`).join(' · ')}`;
  const fmtW = 10;
  const numW = 7;
  // Node names whole (up to 16) while the file column keeps 40; cut at 8 on a narrow terminal.
  const longest = Math.max(4, ...files.map((f) => (f.node ?? '-').length)) + 1;
  const nodeW = Math.max(8, Math.min(17, longest, width - 1 - 13 - fmtW - numW * 3 - 2 - 40));
  const pathW = Math.max(16, width - 1 - 13 - fmtW - nodeW - numW * 3 - 2);
  const header: Seg[][] = [
    [{ t: ` ${cell(summary, width - 2)}`, c: pal.muted }],
    [
      {
        t: ` ${cell('STATUS', 13)}${cell('FILE', pathW + 1)}${cell('FORMAT', fmtW)}${cell('NODE', nodeW)}${cellRight('PARSED', numW)}${cellRight('SKIP', numW)}${cellRight('ISSUES', numW)}`,
        b: true,
      },
    ],
  ];
  const rows: Row[] = [];
  const errs: boolean[] = [];
  for (const f of files) {
    errs[rows.length] = fileHasProblem(f);
    const bad = f.status === 'rejected' || f.status === 'unreadable';
    const warn = f.status === 'partial' || f.status === 'unrecognised' || f.issues > 0;
    const open = expanded.has(`file:${f.path}`);
    rows.push({
      segs: [
        { t: f.firstIssues?.length ? (open ? '▾' : '▸') : ' ' },
        {
          t: cell(f.status.toUpperCase(), 13),
          c: bad ? pal.bad : warn ? pal.severity('medium') : pal.good,
          b: bad,
        },
        { t: cell(safe(f.path), pathW) },
        { t: ' ' },
        { t: cell(safe(f.format ?? '-'), fmtW), c: pal.muted },
        { t: cell(safe(f.node ?? '-'), nodeW) },
        { t: cellRight(String(f.parsed), numW) },
        { t: cellRight(String(f.skipped), numW) },
        { t: cellRight(String(f.issues), numW), c: f.issues ? pal.bad : undefined },
        ...(f.notKept ? [{ t: `  ${f.notKept} not kept`, c: pal.muted }] : []),
      ],
      toggle: f.firstIssues?.length ? `file:${f.path}` : undefined,
    });
    if (open)
      for (const i of f.firstIssues ?? []) {
        const at =
          i.line !== undefined ? `line ${i.line}` : i.offset !== undefined ? `offset ${i.offset}` : '';
        rows.push({
          segs: [
            { t: '      ' },
            { t: cell(at, 14), c: pal.accent },
            { t: cell(safe(i.code), 18), c: pal.bad },
            { t: cell(safe(i.message), Math.max(0, width - 39)) },
          ],
          jump: { ref: i.line !== undefined ? `${f.path}:${i.line}` : undefined },
        });
      }
  }
  return arraySource(header, rows, (_r, i) => !!errs[i]);
}

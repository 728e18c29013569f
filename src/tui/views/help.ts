/**
 * The `?` help overlay: every key, grouped, two columns when the terminal is
 * wide enough.
 *
 *   MOVE                                      VIEWS
 *   ↑ ↓  j k     line                         Tab S-Tab  next / previous view
 */
import { arraySource, type Row, type RowSource } from '../rows.js';
import { cell } from '../text.js';
import type { ViewEnv } from './common.js';

/** Key groups shown in the overlay: [keys, meaning]. */
export const HELP: { title: string; keys: [string, string][] }[] = [
  {
    title: 'MOVE',
    keys: [
      ['↑ ↓  j k', 'previous / next line'],
      ['PgUp PgDn  b Space', 'page up / down'],
      ['g G  Home End', 'first / last line'],
      ['wheel', 'scroll (where the terminal reports it)'],
    ],
  },
  {
    title: 'VIEWS',
    keys: [
      ['1 2 3 4 5', 'root cause, timeline, flows, findings, files'],
      ['Tab  S-Tab', 'next / previous view'],
      ['Enter  → l', 'expand / drill down (flow, evidence)'],
      ['Esc  ⌫  ← h', 'back'],
    ],
  },
  {
    title: 'FIND',
    keys: [
      ['/ text', 'search this view; n N next / previous'],
      ['e E', 'next / previous error'],
      ['t', 'show this evidence on the timeline'],
      ['f', 'filter: node: layer: sev: source: from: to:'],
      ['F', 'clear the filter'],
    ],
  },
  {
    title: 'OTHER',
    keys: [
      ['s r', 'flows: cycle sort column / reverse'],
      ['x', 'export the report (Tab picks md/html/json)'],
      ['?', 'this help (Esc closes)'],
      ['q  Ctrl-C', 'quit'],
    ],
  },
];

/** Build the help rows (two columns at 100+ columns). */
export function helpView(env: ViewEnv, canReport: boolean): RowSource {
  const { pal, width } = env;
  const groups = HELP.map((g) => ({
    ...g,
    keys: g.keys.map(([k, v]): [string, string] => [
      k,
      !canReport && k === 'x' ? 'export the analysis as JSON' : v,
    ]),
  }));
  const block = (g: (typeof groups)[number], w: number): Row[] => [
    { segs: [{ t: ' ' }, { t: cell(g.title, w - 1), b: true, c: pal.accent }] },
    ...g.keys.map(([k, v]) => ({
      segs: [{ t: '  ' }, { t: cell(k, 20), c: pal.accent }, { t: cell(v, w - 22) }],
    })),
  ];
  const rows: Row[] = [];
  if (width >= 100) {
    const w = Math.floor((width - 1) / 2);
    for (let i = 0; i < groups.length; i += 2) {
      const l = block(groups[i], w);
      const r = groups[i + 1] ? block(groups[i + 1], w) : [];
      for (let j = 0; j < Math.max(l.length, r.length); j++) {
        const left = l[j]?.segs ?? [{ t: '' }];
        const pad = w - left.reduce((s, x) => s + x.t.length, 0);
        rows.push({ segs: [...left, { t: ' '.repeat(Math.max(0, pad)) }, ...(r[j]?.segs ?? [])] });
      }
      rows.push({ segs: [{ t: '' }] });
    }
  } else {
    for (const g of groups) rows.push(...block(g, width - 1));
  }
  rows.push({ segs: [{ t: ' Esc, ? or q closes this help', c: pal.muted }] });
  return arraySource([], rows);
}

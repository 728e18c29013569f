/**
 * The App: the only stateful component. It owns the TuiState (a reducer over
 * key events), performs the reducer's effects (quit, export) and draws
 * header, the visible window of the current view and the status line.
 *
 *    forensic │ ROOT CAUSE default-route-mismatch · L3 CRIT · node1 · 92% │ Default route leaves…
 *    1 Root cause  2 Timeline  3 Flows  4 Findings  5 Files
 *    VERDICT  node1 replies to off-subnet clients through the management NAT on eth0 …
 *    …
 *    ?:help q:quit /:search f:filter e:error t:timeline x:export                     12/37
 */
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useReducer } from 'react';
import { isActive } from './filter.js';
import { toKeyEvents } from './keys.js';
import type { Palette } from './palette.js';
import type { Seg } from './rows.js';
import type { Sources } from './sources.js';
import {
  bodyHeight,
  clampPos,
  type ExportFormat,
  initialState,
  type KeyEvent,
  reduce,
  searchRegex,
  TABS,
  type TuiState,
} from './state.js';
import { cell, cellRight, endpoint, safe } from './text.js';

/** Props of the App. */
export interface AppProps {
  sources: Sources;
  /** Writes the report; resolves to the confirmation shown in the status line. */
  onExport: (format: ExportFormat, path: string) => Promise<string>;
  canReport: boolean;
  /** Initial terminal size (the App follows `resize` events afterwards). */
  cols: number;
  rows: number;
  /** Called once with the dispatch function (tests and the bench drive the App through it). */
  onReady?: (dispatch: (ev: KeyEvent) => void) => void;
}

/** A row of segments as ink Text; `cursor` draws it inverse across the full width. */
function Line({ segs, width, cursor, re }: { segs: Seg[]; width: number; cursor?: boolean; re?: RegExp }) {
  let parts = clipSegs(segs, width - 1);
  if (re) parts = highlight(parts, re);
  parts = mergeSegs(parts);
  const len = parts.reduce((n, s) => n + s.t.length, 0);
  const pad = cursor && len < width - 1 ? ' '.repeat(width - 1 - len) : len === 0 ? ' ' : '';
  return (
    <Text wrap="truncate-end" inverse={cursor}>
      {parts.map((s, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity besides position
          key={i}
          color={s.c}
          bold={s.b}
          dimColor={s.dim}
          underline={s.hl && cursor}
          inverse={s.hl && !cursor}
        >
          {s.t}
        </Text>
      ))}
      {pad}
    </Text>
  );
}

/** Clip segments to `w` columns in total (the last visible one ends with an ellipsis). */
export function clipSegs(segs: Seg[], w: number): Seg[] {
  let used = 0;
  for (let i = 0; i < segs.length; i++) {
    const n = segs[i].t.length;
    if (used + n > w) {
      const room = w - used;
      const cut = room > 0 ? { ...segs[i], t: `${segs[i].t.slice(0, room - 1)}…` } : null;
      return cut ? [...segs.slice(0, i), cut] : segs.slice(0, i);
    }
    used += n;
  }
  return segs;
}

/** Join neighbouring segments of the same style (fewer ink nodes per row; plain spaces join anything unstyled). */
export function mergeSegs(segs: Seg[]): Seg[] {
  const out: Seg[] = [];
  for (const x of segs) {
    if (!x.t) continue;
    const prev = out[out.length - 1];
    if (prev && prev.c === x.c && prev.b === x.b && prev.dim === x.dim && prev.hl === x.hl)
      out[out.length - 1] = { ...prev, t: prev.t + x.t };
    else out.push(x);
  }
  return out;
}

/** Split segments so search matches become their own (highlighted) segments. */
function highlight(segs: Seg[], re: RegExp): (Seg & { hl?: boolean })[] {
  const g = new RegExp(re.source, 'gi');
  const out: (Seg & { hl?: boolean })[] = [];
  for (const s of segs) {
    let last = 0;
    g.lastIndex = 0;
    for (let m = g.exec(s.t); m; m = g.exec(s.t)) {
      if (m[0].length === 0) break;
      if (m.index > last) out.push({ ...s, t: s.t.slice(last, m.index) });
      out.push({ ...s, t: m[0], hl: true });
      last = m.index + m[0].length;
    }
    out.push(last ? { ...s, t: s.t.slice(last) } : s);
  }
  return out;
}

/** Header: the verdict bar and the tabs. */
function Header({ s, sources }: { s: TuiState; sources: Sources }) {
  const { model: m, pal } = sources;
  const rc = m.a.rootCause;
  const w = s.cols;
  const root = rc ? m.findingById.get(rc.finding) : undefined;
  const verdict = rc
    ? `ROOT CAUSE ${root?.rule ?? rc.finding}${root?.node ? ` on ${root.node}` : ''} · ${Math.round(rc.confidence * 100)}%${root ? ` · ${root.layer} ${root.severity}` : ''} │ ${root?.title ?? rc.summary}`
    : `NO ROOT CAUSE · ${m.a.findings.length} finding(s)`;
  // Drop the finding title rather than show a stub of it.
  const full = ` forensic │ ${safe(verdict)}`;
  const cut = full.lastIndexOf(' │ ');
  const bar = cell(full.length > w - 1 && cut > 0 && w - 1 - cut < 16 ? full.slice(0, cut) : full, w - 1);
  const tabs: Seg[] = [{ t: ' ' }];
  for (const t of TABS) {
    const on = s.view === t.id || (s.view === 'flow' && t.id === 'flows');
    const title = w < 90 && t.id === 'root' ? 'Root' : t.title;
    tabs.push({ t: ` ${t.key} ${title} `, b: on, c: on ? undefined : pal.muted });
  }
  const flow = s.flowId ? m.flowById.get(s.flowId) : undefined;
  if (s.view === 'flow' && flow) tabs.push({ t: ` ▸ flow ${safe(endpoint(flow.client))} `, b: true });
  const used = tabs.reduce((n, x) => n + x.t.length, 0);
  const right = isActive(s.filter)
    ? cellRight(`filter: ${safe(s.filter.text)} `, Math.max(0, w - 1 - used))
    : '';
  return (
    <Box flexDirection="column">
      <Text
        wrap="truncate-end"
        inverse
        bold
        color={rc && pal.on ? pal.severity(root?.severity ?? 'high') : undefined}
      >
        {bar}
      </Text>
      <Text wrap="truncate-end">
        {tabs.map((t, i) =>
          t.b && i > 0 && !t.t.startsWith(' ▸') ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed tab order
            <Text key={i} inverse bold>
              {t.t}
            </Text>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed tab order
            <Text key={i} color={t.c} bold={t.b}>
              {t.t}
            </Text>
          ),
        )}
        <Text color={pal.severity('medium')}>{right}</Text>
      </Text>
    </Box>
  );
}

/** Key hints per view. */
const HINTS: Record<string, string> = {
  root: 'Enter:expand t:timeline',
  timeline: 'Enter:expand e/E:error f:filter',
  flows: 'Enter:open s:sort r:reverse',
  flow: 'Esc:back t:timeline',
  findings: 'Enter:expand t:timeline',
  files: 'Enter:issues e:next issue',
};

/** Status line: prompt, message, or key hints, with the position on the right. */
function Status({ s, count, pal }: { s: TuiState; count: number; pal: Palette }) {
  const w = s.cols - 1;
  const pos = s.pos[s.mode === 'help' ? 'help' : s.view];
  const where = count
    ? `${(pos.cursor + 1).toLocaleString('en-US')}/${count.toLocaleString('en-US')}`
    : '0/0';
  if (s.mode === 'search' || s.mode === 'filter' || s.mode === 'export') {
    const label =
      s.mode === 'search'
        ? '/'
        : s.mode === 'filter'
          ? 'filter (node: layer: sev: source: from: to: words; empty clears)> '
          : `export ${s.exportFormat}${s.canReport ? ' (Tab: md/html/json)' : ''} to> `;
    const shownLabel =
      label.length + s.input.length + 2 > w ? (s.mode === 'filter' ? 'filter> ' : label) : label;
    const room = Math.max(1, w - shownLabel.length - 1);
    const input = s.input.length > room ? s.input.slice(s.input.length - room) : s.input;
    return (
      <Text wrap="truncate-end">
        <Text bold color={pal.accent}>
          {shownLabel}
        </Text>
        {safe(input)}
        <Text inverse> </Text>
      </Text>
    );
  }
  const right = ` ${where}`;
  if (s.message) {
    return (
      <Text wrap="truncate-end">
        <Text color={s.message.error ? pal.bad : pal.good} bold>
          {cell(safe(s.message.text), Math.max(0, w - right.length))}
        </Text>
        {right}
      </Text>
    );
  }
  const hint =
    s.mode === 'help' ? 'Esc:close help' : `?:help q:quit Tab:view /:search ${HINTS[s.view]} x:export`;
  return (
    <Text wrap="truncate-end" inverse>
      {cell(` ${hint}`, Math.max(0, w - right.length))}
      {right}
    </Text>
  );
}

/** The TUI root component. */
export function App({ sources, onExport, canReport, cols, rows, onReady }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [s, dispatch] = useReducer(
    (st: TuiState, ev: KeyEvent) => reduce(st, ev, sources),
    undefined,
    () => {
      const st = initialState(cols, rows, canReport);
      // Start on the first chain link, so Enter expands it right away.
      const root = sources.get(st, 'root');
      let first = 0;
      while (first < root.count && !root.row(first).toggle) first++;
      return first < root.count ? { ...st, pos: { ...st.pos, root: { cursor: first, top: 0 } } } : st;
    },
  );
  useEffect(() => onReady?.(dispatch), [onReady]);
  useInput((input, key) => {
    for (const ev of toKeyEvents(input, key)) dispatch(ev);
  });
  useEffect(() => {
    const onResize = () => {
      if (stdout.columns && stdout.rows)
        dispatch({ kind: 'resize', cols: stdout.columns, rows: stdout.rows });
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  useEffect(() => {
    const eff = s.effect;
    if (!eff) return;
    dispatch({ kind: 'ack' });
    if (eff.kind === 'quit') exit();
    else
      onExport(eff.format, eff.path).then(
        (text) => dispatch({ kind: 'done', text }),
        (err: unknown) =>
          dispatch({ kind: 'done', text: `export failed: ${(err as Error).message ?? err}`, error: true }),
      );
  }, [s.effect, exit, onExport]);

  const src = sources.get(s);
  const bodyH = bodyHeight(s);
  const listH = Math.max(1, bodyH - src.header.length);
  const pos = clampPos(s.pos[s.mode === 'help' ? 'help' : s.view], src.count, listH);
  const re = useMemo(() => (s.query ? searchRegex(s.query) : undefined), [s.query]);
  const lines: React.ReactNode[] = [];
  for (const [i, h] of src.header.entries()) {
    if (i >= bodyH) break;
    lines.push(<Line key={`h${i}`} segs={h} width={s.cols} />);
  }
  const end = Math.min(src.count, pos.top + listH);
  for (let i = pos.top; i < end; i++) {
    lines.push(
      <Line
        key={`r${i - pos.top}`}
        segs={src.row(i).segs}
        width={s.cols}
        cursor={i === pos.cursor}
        re={re}
      />,
    );
  }
  while (lines.length < bodyH) lines.push(<Text key={`p${lines.length}`}> </Text>);
  return (
    <Box flexDirection="column" height={s.rows - 1}>
      <Header s={s} sources={sources} />
      {lines}
      <Status s={s} count={src.count} pal={sources.pal} />
    </Box>
  );
}

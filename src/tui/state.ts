/**
 * The TUI's whole state and the pure reducer over key events. Only the App
 * holds a TuiState; views read it. The reducer never renders, so navigation,
 * search, filter, drill-down and jumps are testable without a terminal.
 *
 *   reduce(state, { kind: 'char', ch: 'j' }, sources) → state with the cursor one row down
 */
import { type Filter, isActive, NO_FILTER, parseFilter } from './filter.js';
import type { Sources } from './sources.js';
import { FLOW_SORTS, type FlowSort } from './views/flows.js';
import { rowOfEntry } from './views/timeline.js';

/** The views; `flow` is the drill-down from Flows, not a tab. */
export type ViewId = 'root' | 'timeline' | 'flows' | 'flow' | 'findings' | 'files';

/** Tabs in order, with their number key. */
export const TABS: { id: ViewId; key: string; title: string }[] = [
  { id: 'root', key: '1', title: 'Root cause' },
  { id: 'timeline', key: '2', title: 'Timeline' },
  { id: 'flows', key: '3', title: 'Flows' },
  { id: 'findings', key: '4', title: 'Findings' },
  { id: 'files', key: '5', title: 'Files' },
];

/** Input modes: prompts take characters, help swallows navigation. */
export type Mode = 'normal' | 'search' | 'filter' | 'export' | 'help';

/** Report formats `x` can write. */
export type ExportFormat = 'md' | 'html' | 'json';

/** Something the App must do outside the reducer. */
export type Effect = { kind: 'quit' } | { kind: 'export'; format: ExportFormat; path: string };

/** Cursor and first visible row of one view. */
export interface Pos {
  cursor: number;
  top: number;
}

/** Everything the TUI remembers. */
export interface TuiState {
  view: ViewId;
  /** Views to return to with Esc (drill-downs push, tabs clear). */
  back: ViewId[];
  pos: Record<ViewId | 'help', Pos>;
  expanded: Record<'root' | 'timeline' | 'findings' | 'files', ReadonlySet<string>>;
  flowId: string | null;
  flowSort: FlowSort;
  flowDesc: boolean;
  filter: Filter;
  /** Last committed search text. */
  query: string;
  mode: Mode;
  /** Prompt buffer (search text, filter text, export path). */
  input: string;
  exportFormat: ExportFormat;
  /** Whether md/html reports can be written (an exporter was given). */
  canReport: boolean;
  message: { text: string; error?: boolean } | null;
  cols: number;
  rows: number;
  effect: Effect | null;
}

/** A normalised input event. */
export type KeyEvent =
  | { kind: 'char'; ch: string }
  | {
      kind:
        | 'up'
        | 'down'
        | 'left'
        | 'right'
        | 'pgup'
        | 'pgdn'
        | 'home'
        | 'end'
        | 'enter'
        | 'esc'
        | 'back'
        | 'tab'
        | 'backtab'
        | 'wheelup'
        | 'wheeldown'
        | 'ctrlc'
        | 'ctrlu';
    }
  | { kind: 'resize'; cols: number; rows: number }
  | { kind: 'done'; text: string; error?: boolean }
  | { kind: 'ack' };

const EMPTY = new Set<string>();
const ZERO: Pos = { cursor: 0, top: 0 };

/** The initial state for a terminal size. */
export function initialState(cols: number, rows: number, canReport: boolean): TuiState {
  return {
    view: 'root',
    back: [],
    pos: { root: ZERO, timeline: ZERO, flows: ZERO, flow: ZERO, findings: ZERO, files: ZERO, help: ZERO },
    expanded: { root: EMPTY, timeline: EMPTY, findings: EMPTY, files: EMPTY },
    flowId: null,
    flowSort: 'problems',
    flowDesc: false,
    filter: NO_FILTER,
    query: '',
    mode: 'normal',
    input: '',
    exportFormat: canReport ? 'md' : 'json',
    canReport,
    message: null,
    cols,
    rows,
    effect: null,
  };
}

/** Rows of the screen left for a view's body: minus header (2), status line (1) and ink's last line (1). */
export function bodyHeight(s: TuiState): number {
  return Math.max(1, s.rows - 4);
}

/** Visible list rows of the current view (body minus its fixed header lines). */
export function listHeight(s: TuiState, src: Sources): number {
  return Math.max(1, bodyHeight(s) - src.get(s).header.length);
}

/** Clamp a position to a list of `count` rows shown `h` at a time, keeping the cursor visible. */
export function clampPos(p: Pos, count: number, h: number): Pos {
  const cursor = Math.max(0, Math.min(p.cursor, count - 1));
  let top = Math.max(0, Math.min(p.top, Math.max(0, count - h)));
  if (cursor < top) top = cursor;
  if (cursor >= top + h) top = cursor - h + 1;
  return cursor === p.cursor && top === p.top ? p : { cursor, top };
}

function setPos(s: TuiState, src: Sources, p: Pos): TuiState {
  const key = s.mode === 'help' ? 'help' : s.view;
  const count = src.get(s).count;
  const next = clampPos(p, count, listHeight(s, src));
  return next === s.pos[key] ? s : { ...s, pos: { ...s.pos, [key]: next } };
}

function cur(s: TuiState): Pos {
  return s.pos[s.mode === 'help' ? 'help' : s.view];
}

function move(s: TuiState, src: Sources, delta: number, scroll = false): TuiState {
  const p = cur(s);
  return setPos(s, src, { cursor: p.cursor + delta, top: scroll ? p.top + delta : p.top });
}

function switchView(s: TuiState, v: ViewId, src: Sources, push = false): TuiState {
  if (v === s.view) return s;
  const n: TuiState = { ...s, view: v, back: push ? [...s.back, s.view] : [], message: null };
  return setPos(n, src, n.pos[v]);
}

function goBack(s: TuiState, src: Sources): TuiState {
  if (s.back.length) {
    const v = s.back[s.back.length - 1];
    const n = switchView(s, v, src);
    return { ...n, back: s.back.slice(0, -1) };
  }
  if (s.view === 'flow') return switchView(s, 'flows', src);
  return s;
}

function toggle(s: TuiState, key: string): TuiState {
  const which = s.view === 'flow' || s.view === 'flows' ? null : s.view;
  if (!which) return s;
  const set = new Set(s.expanded[which]);
  if (set.has(key)) set.delete(key);
  else set.add(key);
  return { ...s, expanded: { ...s.expanded, [which]: set } };
}

function openFlow(s: TuiState, id: string, src: Sources): TuiState {
  const n: TuiState = { ...s, flowId: id, pos: { ...s.pos, flow: ZERO } };
  return switchView(n, 'flow', src, s.view !== 'flow');
}

/** Put the cursor near the top third of the list. */
function focusRow(s: TuiState, src: Sources, row: number): TuiState {
  const h = listHeight(s, src);
  return setPos(s, src, { cursor: row, top: row - Math.floor(h / 3) });
}

/** Jump to the timeline event nearest a timestamp/ref; clears a filter that hides it. */
export function jumpToTimeline(s: TuiState, src: Sources, ts?: string, ref?: string): TuiState {
  const m = src.model;
  const k = m.locate(ts, ref);
  if (k < 0) return { ...s, message: { text: 'no timeline event for this evidence', error: true } };
  let n: TuiState = switchView(s, 'timeline', src, s.view !== 'timeline');
  let note = '';
  let row = rowOfEntry(m, m.filtered(n.filter), n.expanded.timeline, k);
  if (row < 0) {
    n = { ...n, filter: NO_FILTER };
    row = rowOfEntry(m, null, n.expanded.timeline, k);
    note = ' (filter cleared to show it)';
  }
  const e = m.entry(k);
  const exact = ref !== undefined && e.ref === ref;
  n = focusRow(n, src, row);
  return { ...n, message: { text: `${exact ? 'at' : 'nearest to'} ${ref ?? ts ?? ''}${note}` } };
}

/** Regular expression for a case-insensitive literal search. */
export function searchRegex(q: string): RegExp {
  return new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

function search(s: TuiState, src: Sources, dir: 1 | -1, from: number): TuiState {
  if (!s.query) return { ...s, message: { text: 'no search yet: press / to search', error: true } };
  const rs = src.get(s);
  const re = searchRegex(s.query);
  const n = rs.count;
  for (let step = 1; step <= n; step++) {
    const i = (((from + dir * step) % n) + n) % n;
    if (rs.matches ? rs.matches(i, re) : re.test(rs.text(i))) {
      const wrapped = dir > 0 ? i <= from : i >= from;
      const next = focusRow(s, src, i);
      return {
        ...next,
        message: { text: `/${s.query}: row ${i + 1} of ${n}${wrapped ? ' (wrapped)' : ''}` },
      };
    }
  }
  return { ...s, message: { text: `/${s.query}: not found in this view`, error: true } };
}

function nextError(s: TuiState, src: Sources, dir: 1 | -1): TuiState {
  const rs = src.get(s);
  const p = cur(s);
  for (let i = p.cursor + dir; i >= 0 && i < rs.count; i += dir) {
    if (rs.isError(i)) return { ...focusRow(s, src, i), message: null };
  }
  return { ...s, message: { text: dir > 0 ? 'no more errors below' : 'no more errors above', error: true } };
}

/** Keep the timeline cursor on the same event (or the nearest one) when the filter changes. */
function applyFilter(s: TuiState, src: Sources, f: Filter): TuiState {
  const tl = src.get({ ...s, view: 'timeline', mode: 'normal' }, 'timeline');
  const at = tl.count ? tl.row(Math.min(s.pos.timeline.cursor, tl.count - 1)).entry : undefined;
  let n: TuiState = { ...s, filter: f, mode: 'normal', input: '' };
  const idx = src.filtered(f);
  let row = 0;
  if (at !== undefined) {
    if (!idx) row = rowOfEntry(src.model, null, n.expanded.timeline, at);
    else {
      let lo = 0;
      let hi = idx.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (idx[mid] < at) lo = mid + 1;
        else hi = mid;
      }
      row = rowOfEntry(src.model, idx, n.expanded.timeline, idx[Math.min(lo, idx.length - 1)] ?? 0);
    }
  }
  n = { ...n, pos: { ...n.pos, timeline: { cursor: Math.max(0, row), top: n.pos.timeline.top } } };
  const tlCount = src.get({ ...n, view: 'timeline', mode: 'normal' }, 'timeline').count;
  const h = Math.max(1, bodyHeight(n) - 1);
  n = {
    ...n,
    pos: { ...n.pos, timeline: clampPos(n.pos.timeline, tlCount, h), findings: ZERO, flows: ZERO },
  };
  n = setPos(n, src, cur(n));
  const shown = idx ? idx.length : src.model.size;
  return {
    ...n,
    message: {
      text: isActive(f) ? `filter: ${f.text} — ${shown.toLocaleString('en-US')} events` : 'filter cleared',
    },
  };
}

function promptKey(s: TuiState, ev: KeyEvent, src: Sources): TuiState {
  switch (ev.kind) {
    case 'char':
      return { ...s, input: s.input + ev.ch };
    case 'back':
      return { ...s, input: s.input.slice(0, -1) };
    case 'ctrlu':
      return { ...s, input: '' };
    case 'esc':
    case 'ctrlc':
      return { ...s, mode: 'normal', input: '', message: null };
    case 'tab':
    case 'backtab':
      if (s.mode !== 'export' || !s.canReport) return s;
      {
        const order: ExportFormat[] = ['md', 'html', 'json'];
        const f = order[(order.indexOf(s.exportFormat) + (ev.kind === 'tab' ? 1 : 2)) % 3];
        const input = s.input.replace(/\.(md|html|json)$/, '') + `.${f}`;
        return { ...s, exportFormat: f, input };
      }
    case 'enter': {
      if (s.mode === 'search') {
        const n: TuiState = { ...s, mode: 'normal', query: s.input, input: '' };
        if (!s.input) return { ...n, message: { text: 'search cleared' } };
        return search(n, src, 1, cur(n).cursor - 1);
      }
      if (s.mode === 'filter') {
        const f = parseFilter(s.input);
        if (typeof f === 'string') return { ...s, message: { text: f, error: true } };
        return applyFilter(s, src, f);
      }
      const path = s.input.trim();
      if (!path) return { ...s, message: { text: 'export: a path is needed', error: true } };
      return {
        ...s,
        mode: 'normal',
        input: '',
        effect: { kind: 'export', format: s.exportFormat, path },
        message: { text: `exporting ${s.exportFormat} to ${path} …` },
      };
    }
    default:
      return s;
  }
}

/** The reducer: one input event → the next state. Pure apart from memoised row building in `src`. */
export function reduce(s: TuiState, ev: KeyEvent, src: Sources): TuiState {
  if (ev.kind === 'resize') {
    const n = { ...s, cols: ev.cols, rows: ev.rows };
    return setPos(n, src, cur(n));
  }
  if (ev.kind === 'done') return { ...s, message: { text: ev.text, error: ev.error } };
  if (ev.kind === 'ack') return { ...s, effect: null };
  if (s.mode === 'search' || s.mode === 'filter' || s.mode === 'export') return promptKey(s, ev, src);
  if (s.mode === 'help') {
    if (ev.kind === 'esc' || ev.kind === 'back' || (ev.kind === 'char' && (ev.ch === '?' || ev.ch === 'q')))
      return { ...s, mode: 'normal' };
    if (ev.kind === 'ctrlc') return { ...s, effect: { kind: 'quit' } };
  }
  // Several characters in one chunk (typed fast, or sent by tmux) are separate keys.
  if (ev.kind === 'char' && ev.ch.length > 1) {
    let n = s;
    for (const ch of ev.ch) n = reduce(n, { kind: 'char', ch }, src);
    return n;
  }
  const h = listHeight(s, src);
  const rs = src.get(s);
  const p = cur(s);
  const row = rs.count ? rs.row(Math.min(p.cursor, rs.count - 1)) : undefined;
  const s0: TuiState = s.message ? { ...s, message: null } : s;
  const name = ev.kind === 'char' ? ev.ch : ev.kind;
  switch (name) {
    case 'up':
    case 'k':
      return move(s0, src, -1);
    case 'down':
    case 'j':
      return move(s0, src, 1);
    case 'pgup':
    case 'b':
      return move(s0, src, -h, true);
    case 'pgdn':
    case ' ':
      return move(s0, src, h, true);
    case 'wheelup':
      return move(s0, src, -3, true);
    case 'wheeldown':
      return move(s0, src, 3, true);
    case 'home':
    case 'g':
      return setPos(s0, src, { cursor: 0, top: 0 });
    case 'end':
    case 'G':
      return setPos(s0, src, { cursor: rs.count - 1, top: rs.count });
    case 'q':
    case 'ctrlc':
      return { ...s0, effect: { kind: 'quit' } };
    case '?':
      return { ...s0, mode: 'help', pos: { ...s0.pos, help: ZERO } };
    case 'tab':
    case 'backtab': {
      const i = TABS.findIndex((t) => t.id === (s.view === 'flow' ? 'flows' : s.view));
      const d = name === 'tab' ? 1 : TABS.length - 1;
      return switchView(s0, TABS[(i + d) % TABS.length].id, src);
    }
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
      return switchView(s0, TABS[Number(name) - 1].id, src);
    case 'esc':
    case 'back':
    case 'left':
    case 'h':
      return goBack(s0, src);
    case 'enter':
    case 'right':
    case 'l':
      if (!row) return s0;
      if (row.toggle) return setPos(toggle(s0, row.toggle), src, p);
      if (row.flow) return openFlow(s0, row.flow, src);
      if (row.jump) return jumpToTimeline(s0, src, row.jump.ts, row.jump.ref);
      return s0;
    case 't':
      if (row?.jump) return jumpToTimeline(s0, src, row.jump.ts, row.jump.ref);
      return { ...s0, message: { text: 'nothing on this line to show on the timeline', error: true } };
    case '/':
      return { ...s0, mode: 'search', input: '' };
    case 'n':
      return search(s0, src, 1, p.cursor);
    case 'N':
      return search(s0, src, -1, p.cursor);
    case 'e':
      return nextError(s0, src, 1);
    case 'E':
      return nextError(s0, src, -1);
    case 'f':
      return { ...s0, mode: 'filter', input: s.filter.text };
    case 'F':
      return isActive(s.filter) ? applyFilter(s0, src, NO_FILTER) : s0;
    case 'x':
      return { ...s0, mode: 'export', input: `forensic-report.${s.exportFormat}` };
    case 's':
      if (s.view !== 'flows') return s0;
      return {
        ...s0,
        flowSort: FLOW_SORTS[(FLOW_SORTS.indexOf(s.flowSort) + 1) % FLOW_SORTS.length],
        message: {
          text: `flows sorted by ${FLOW_SORTS[(FLOW_SORTS.indexOf(s.flowSort) + 1) % FLOW_SORTS.length]}`,
        },
      };
    case 'r':
      if (s.view !== 'flows') return s0;
      return { ...s0, flowDesc: !s.flowDesc };
    default:
      return s0;
  }
}

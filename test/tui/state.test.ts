import { describe, expect, test } from 'vitest';
import { SEVERITY_RANK } from '../../src/model/levels.js';
import { initialState, listHeight, reduce, type TuiState } from '../../src/tui/state.js';
import { drive, keyOf, loadFixture, sourcesOf } from './helpers.js';

const a = loadFixture();
const src = sourcesOf(a);
const rows = (s: TuiState) => src.get(s);
const cursorRow = (s: TuiState) => rows(s).row(s.pos[s.view].cursor);
const cursorText = (s: TuiState) => rows(s).text(s.pos[s.view].cursor);
const type = (text: string) => [...text];

describe('navigation', () => {
  test('j/k/g/G/PgDn move within bounds; chunks of keys are separate keys', () => {
    let s = drive(src, ['2']);
    expect(s.view).toBe('timeline');
    s = drive(src, ['j', 'j', 'j', 'k'], s);
    expect(s.pos.timeline.cursor).toBe(2);
    s = drive(src, ['G'], s);
    expect(s.pos.timeline.cursor).toBe(a.timeline.length - 1);
    expect(s.pos.timeline.top).toBe(a.timeline.length - listHeight(s, src));
    s = drive(src, ['j'], s);
    expect(s.pos.timeline.cursor).toBe(a.timeline.length - 1);
    s = drive(src, ['g', 'pgdn'], s);
    expect(s.pos.timeline.cursor).toBe(listHeight(s, src));
    s = drive(src, ['g', 'k', 'jjj'], s);
    expect(s.pos.timeline.cursor).toBe(3);
  });

  test('Tab, Shift-Tab and number keys switch views; Esc returns from a drill-down', () => {
    let s = drive(src, ['tab']);
    expect(s.view).toBe('timeline');
    s = drive(src, ['backtab', 'backtab'], s);
    expect(s.view).toBe('files');
    s = drive(src, ['3', 'enter'], s);
    expect(s.view).toBe('flow');
    expect(s.flowId).toBe('tcp:203.0.113.50:51514-192.0.2.240:443@node1');
    s = drive(src, ['esc'], s);
    expect(s.view).toBe('flows');
  });

  test('resize keeps the cursor visible', () => {
    let s = drive(src, ['2', 'G']);
    s = reduce(s, { kind: 'resize', cols: 80, rows: 12 }, src);
    const p = s.pos.timeline;
    expect(p.cursor).toBeGreaterThanOrEqual(p.top);
    expect(p.cursor).toBeLessThan(p.top + listHeight(s, src));
  });
});

describe('drill-down and jumps', () => {
  test('Enter expands a chain link into its evidence; t jumps from evidence to the timeline', () => {
    let s = initialState(100, 30, false);
    const rs = rows(s);
    let link = 0;
    while (rs.row(link).toggle !== 'link:tls-bad-record-mac#node1') link++;
    s = { ...s, pos: { ...s.pos, root: { cursor: link, top: 0 } } };
    const before = rows(s).count;
    s = drive(src, ['enter'], s);
    expect(rows(s).count).toBeGreaterThan(before);
    s = drive(src, ['j', 'j', 'j', 'j'], s);
    expect(cursorText(s)).toContain('node1/traefik.log:812');
    s = drive(src, ['t'], s);
    expect(s.view).toBe('timeline');
    expect(cursorRow(s).jump?.ref).toBe('node1/traefik.log:812');
    expect(s.message?.text).toContain('at node1/traefik.log:812');
    s = drive(src, ['esc'], s);
    expect(s.view).toBe('root');
  });

  test('an aggregated timeline entry expands; its flow line opens the flow detail', () => {
    let s = drive(src, ['2']);
    const agg = a.timeline.findIndex((e) => (e.count ?? 1) > 1);
    s = drive(src, [...Array(agg).fill('j'), 'enter'], s);
    expect(rows(s).count).toBe(a.timeline.length + 4);
    expect(rows(s).text(agg + 1)).toMatch(/6 repeats .* span 3\.160s/);
    s = drive(src, ['j', 'j', 'j', 'j'], s);
    expect(cursorRow(s).flow).toBe(a.timeline[agg].flow);
    s = drive(src, ['enter'], s);
    expect(s.view).toBe('flow');
    expect(s.flowId).toBe(a.timeline[agg].flow);
  });

  test('t on a ladder packet lands on that packet in the timeline', () => {
    let s = drive(src, ['3', 'enter', 'j']);
    expect(cursorText(s)).toContain('SYN-ACK');
    s = drive(src, ['t'], s);
    expect(cursorRow(s).jump?.ref).toBe('node1/capture-any.pcapng#11');
  });
});

describe('search, filter, errors', () => {
  test('/ searches the view; n and N move between matches and wrap', () => {
    let s = drive(src, ['2', '/', ...type('bad record mac'), 'enter']);
    const first = s.pos.timeline.cursor;
    expect(cursorText(s).toLowerCase()).toContain('bad record mac');
    s = drive(src, ['n'], s);
    expect(s.pos.timeline.cursor).toBeGreaterThan(first);
    expect(cursorText(s).toLowerCase()).toContain('bad record mac');
    s = drive(src, ['N'], s);
    expect(s.pos.timeline.cursor).toBe(first);
    s = drive(src, ['N'], s);
    expect(s.message?.text).toContain('wrapped');
    s = drive(src, ['/', ...type('no such thing'), 'enter'], s);
    expect(s.message).toEqual({ text: '/no such thing: not found in this view', error: true });
  });

  test('f filters the timeline (count and content), keeps the view usable, F clears', () => {
    let s = drive(src, ['2', 'f', ...type('sev:high node:node1'), 'enter']);
    const expected = a.timeline.filter((e) => e.node === 'node1' && SEVERITY_RANK[e.severity ?? 'info'] >= 3);
    expect(rows(s).count).toBe(expected.length);
    for (let i = 0; i < rows(s).count; i++) expect(rows(s).text(i)).toContain('node1');
    expect(s.message?.text).toContain(`${expected.length} events`);
    s = drive(src, ['f', ...type(' layer:L9'), 'enter'], s);
    expect(s.mode).toBe('filter');
    expect(s.message?.error).toBe(true);
    s = drive(src, ['esc', 'F'], s);
    expect(rows(s).count).toBe(a.timeline.length);
  });

  test('e/E go to the next/previous error; messages when there are none', () => {
    let s = drive(src, ['2', 'e']);
    const firstErr = a.timeline.findIndex((e) => e.severity === 'high' || e.severity === 'critical');
    expect(s.pos.timeline.cursor).toBe(firstErr);
    s = drive(src, ['e'], s);
    expect(s.pos.timeline.cursor).toBeGreaterThan(firstErr);
    s = drive(src, ['E'], s);
    expect(s.pos.timeline.cursor).toBe(firstErr);
    s = drive(src, ['E'], s);
    expect(s.message?.text).toBe('no more errors above');
  });
});

describe('prompts and effects', () => {
  test('x asks for a path, Tab cycles the format, Enter requests the export', () => {
    let s = drive(src, ['x'], initialState(100, 30, true));
    expect(s.mode).toBe('export');
    expect(s.input).toBe('forensic-report.md');
    s = drive(src, ['tab'], s);
    expect(s.input).toBe('forensic-report.html');
    s = drive(src, ['enter'], s);
    expect(s.effect).toEqual({ kind: 'export', format: 'html', path: 'forensic-report.html' });
    s = reduce(s, { kind: 'ack' }, src);
    s = reduce(s, { kind: 'done', text: 'exported html report to /tmp/x.html' }, src);
    expect(s.effect).toBeNull();
    expect(s.message?.text).toBe('exported html report to /tmp/x.html');
  });

  test('without a report writer, x exports JSON and Tab does not change it', () => {
    const s = drive(src, ['x', 'tab', 'back', 'back', 'back', 'back', 'back', 'enter']);
    expect(s.effect).toEqual({ kind: 'export', format: 'json', path: 'forensic-report' });
  });

  test('? opens help, Esc closes it; q and Ctrl-C quit', () => {
    let s = drive(src, ['?']);
    expect(s.mode).toBe('help');
    s = drive(src, ['j', 'esc'], s);
    expect(s.mode).toBe('normal');
    expect(drive(src, ['q']).effect).toEqual({ kind: 'quit' });
    expect(drive(src, ['ctrlc']).effect).toEqual({ kind: 'quit' });
    expect(reduce(drive(src, ['/']), keyOf('q'), src).effect).toBeNull();
  });

  test('flow table sorts by another column with s and reverses with r', () => {
    let s = drive(src, ['3', 's']);
    expect(s.flowSort).toBe('client');
    expect(cursorText(s)).toContain('192.0.2.50:40022');
    s = drive(src, ['r'], s);
    expect(cursorText(s)).toContain('203.0.113.77:60100');
  });
});

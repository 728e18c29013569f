/**
 * End-to-end on a real bundle: `forensic analyze samples/asymmetric-mangle` in a
 * detached tmux session, driven like a person would — open, root cause, drill
 * into a flow, search, filter, export a Markdown report, quit — asserting what is
 * on screen at each step (panes saved under test-artifacts/tui-cli/).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasTmux, lines, ROOT, tmuxDriver } from '../helpers/tmux.js';

/** The command under test: the real binary on the reference sample bundle. */
const COMMAND = ['node', 'dist/src/cli.js', 'analyze', 'samples/asymmetric-mangle', '--format', 'tui'];

if (!hasTmux)
  console.warn('test/e2e/tui-cli.test.ts: tmux is not installed — skipping the TUI end-to-end test');
const { start, waitFor, keys, type, resetArtifacts, kill } = tmuxDriver('tui-cli', COMMAND);

describe.skipIf(!hasTmux)('forensic analyze in tmux', () => {
  let tmp = '';
  beforeAll(() => {
    resetArtifacts();
    tmp = mkdtempSync(join(tmpdir(), 'forensic-tui-cli-'));
    expect(existsSync(join(ROOT, COMMAND[1]))).toBe(true);
  });
  afterAll(() => {
    kill();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('opens on the verdict, drills into a flow, searches, filters, exports, quits', {
    timeout: 300_000,
  }, async () => {
    const s = 'cli';
    start(s, 110, 32);
    let pane = await waitFor(s, 'CHAIN', 'open', 120_000);
    expect(lines(pane)[0]).toMatch(/ROOT CAUSE default-route-mismatch on node1 · 9\d% · L3 critical/);
    expect(pane).toMatch(/VERDICT\s+node1 routes replies from 192\.0\.2\.240/);
    expect(pane).toMatch(/tls-bad-record-mac/);
    expect(pane).toMatch(/asymmetric-routing/);
    expect(pane).toMatch(/default-route-mismatch .*◀ root cause/);
    expect(pane).toContain('ip route replace default via 192.0.2.1 dev eth1');

    // The symptom expands into the server log lines that prove it.
    keys(s, 'Enter');
    pane = await waitFor(s, 'node1/traefik.log:', 'symptom-evidence');
    expect(pane).toMatch(/TLS handshake error from 203\.0\.113\.50:\d+/);

    // Flows: asymmetric conversations marked, entering on eth1 and leaving on eth0.
    keys(s, '3');
    pane = await waitFor(s, 'ASYM', 'flows');
    // Flows from several nodes: each row names its node.
    expect(pane).toMatch(/ASYM node1\s+(?:tcp\s+)?203\.0\.113\.50:\d+\s+192\.0\.2\.240:443 eth1 eth0/);
    expect(pane).toMatch(/\n {6}client-remote (?:tcp\s+)?203\.0\.113\.50:\d+\s+192\.0\.2\.240:443 -\s+-/);
    keys(s, 'Enter');
    pane = await waitFor(s, 'ASYMMETRIC: requests in eth1, replies out eth0', 'flow-detail');
    expect(pane).toMatch(/SYN/);
    expect(pane).toMatch(/eth0/);
    keys(s, 'Escape');
    await waitFor(s, 'ASYM', 'flows-again');

    // Timeline search.
    keys(s, '2', 'g', '/');
    type(s, 'bad_record_mac');
    keys(s, 'Enter');
    pane = await waitFor(s, /\/bad_record_mac: row \d+ of \d+/, 'search');
    const first = /row (\d+) of/.exec(pane)?.[1];
    keys(s, 'n');
    pane = await waitFor(s, new RegExp(`/bad_record_mac: row (?!${first} )\\d+ of`), 'search-next');

    // Filter to high severity.
    keys(s, 'f');
    type(s, 'sev:high');
    keys(s, 'Enter');
    pane = await waitFor(s, 'filter: sev:high', 'filter');
    expect(pane).toMatch(/HIGH/);
    expect(pane).not.toMatch(/ low /);

    // Export a Markdown report from inside.
    const out = join(tmp, 'incident.md');
    keys(s, 'x');
    await waitFor(s, 'forensic-report', 'export-prompt');
    keys(s, 'C-u');
    type(s, out);
    keys(s, 'Enter');
    // The typed path is on screen already: wait for the status line the App shows once the file is written.
    await waitFor(s, /exported \S+ report to/, 'exported');
    expect(readFileSync(out, 'utf8')).toMatch(/^# Incident analysis/);

    keys(s, 'q');
    pane = await waitFor(s, 'EXIT=0', 'quit');
    expect(pane).not.toContain('ROOT CAUSE');
  });
});

/**
 * End-to-end: the real TUI binary in a detached tmux session (private socket),
 * driven by keys like a person would: open, root cause, drill into a flow,
 * search, filter, export, quit — capturing the pane at each step (saved under
 * test-artifacts/tui-e2e/) and asserting what is on screen. Also: 80x24 and a
 * live resize, NO_COLOR / --no-color, and terminal restore on SIGTERM.
 * Skips with a message when tmux is not installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Analysis } from '../../src/model/analysis.js';
import { hasTmux, lines, ROOT, tmuxDriver } from '../helpers/tmux.js';

/** The command under test. Once `forensic analyze` opens the TUI, switch to:
 *  ['node', 'dist/src/cli.js', 'analyze', 'samples/asymmetric-mangle', '--format', 'tui'] */
const COMMAND = ['node', 'dist/src/tui/demo.js', 'test/tui/fixtures/reference-analysis.json'];

if (!hasTmux) console.warn('test/e2e/tui.test.ts: tmux is not installed — skipping the TUI end-to-end test');
const { tmux, start, capture, waitFor, keys, type, resetArtifacts, kill } = tmuxDriver('tui-e2e', COMMAND);

/** Whether a pane capture (with -e) sets a foreground colour: SGR parameters 30–37, 90–97 or 38;…. */
function hasColour(pane: string): boolean {
  for (const m of pane.matchAll(/\u001b\[([0-9;]*)m/g)) {
    const ps = m[1].split(';').map(Number);
    if (ps.some((p) => (p >= 30 && p <= 37) || (p >= 90 && p <= 97) || p === 38)) return true;
  }
  return false;
}

describe.skipIf(!hasTmux)('TUI in tmux', () => {
  let tmp = '';
  beforeAll(async () => {
    resetArtifacts();
    tmp = mkdtempSync(join(tmpdir(), 'forensic-tui-e2e-'));
    // Build asynchronously (a blocking build starves the test worker); type errors elsewhere in the
    // tree do not stop emission, so the check is that the entry point exists afterwards.
    await new Promise((res) =>
      execFile('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT }, () => res(null)),
    );
    expect(existsSync(join(ROOT, COMMAND[1]))).toBe(true);
  }, 600_000);
  afterAll(() => {
    kill();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('100x30: root cause → flow → search → filter → export → quit', { timeout: 300_000 }, async () => {
    const s = 'main';
    start(s, 100, 30);
    let pane = await waitFor(s, 'CHAIN', 'open');
    expect(lines(pane)[0]).toContain('ROOT CAUSE default-route-mismatch on node1 · 92% · L3 critical');
    expect(pane).toContain('VERDICT  node1 replies to off-subnet clients');
    expect(pane).toMatch(/default-route-mismatch .*◀ root cause/);
    expect(lines(pane)[28]).toMatch(/\?:help q:quit .* \d+\/\d+\s*$/);

    // Root cause: the first link expands into its evidence; t shows that evidence on the timeline.
    keys(s, 'Enter');
    pane = await waitFor(s, '• node1/traefik.log:812', 'root-cause-expanded');
    expect(pane).toContain('▾ L7');
    keys(s, 'j', 'j', 'j', 'j', 't');
    pane = await waitFor(s, 'at node1/traefik.log:812', 'evidence-on-timeline');
    expect(pane).toMatch(/TIME\s+NODE\s+LAYER\s+SEV/);
    expect(pane).toMatch(
      /10:14:06\.401\s+node1\s+L7\s+HIGH\s+http: TLS handshake error from 203\.0\.113\.50:51514/,
    );

    // Flows: the asymmetric flow is marked; Enter draws its ladder with the interface of each packet.
    keys(s, '3');
    pane = await waitFor(s, 'ASYM', 'flows');
    expect(pane).toMatch(/ASYM tcp\s+203\.0\.113\.50:51514\s+192\.0\.2\.240:443 eth1 eth0 reset/);
    keys(s, 'Enter');
    pane = await waitFor(s, 'LOG LINES', 'flow-detail');
    expect(pane).toContain('ASYMMETRIC: requests in eth1, replies out eth0');
    expect(pane).toMatch(/│◀─+ SYN-ACK seq=0 ack=1 ─+│\s+eth0 ≠/);
    expect(pane).toMatch(/HIGH node1\/traefik\.log:812 http: TLS handshake error/);
    keys(s, 'Escape');
    await waitFor(s, /STATE\s+RETX/, 'flows-again');

    // Search on the timeline.
    keys(s, '2', 'g', '/');
    type(s, 'SSL_ERROR');
    await waitFor(s, '/SSL_ERROR', 'search-typed');
    keys(s, 'Enter');
    pane = await waitFor(s, '/SSL_ERROR: row 13 of 44', 'search');
    keys(s, 'n');
    pane = await waitFor(s, '/SSL_ERROR: row 21 of 44', 'search-next');

    // Filter: high severity only.
    const fixture = Analysis.parse(JSON.parse(readFileSync(join(ROOT, COMMAND[2]), 'utf8')));
    const high = fixture.timeline.filter((e) => e.severity === 'high' || e.severity === 'critical').length;
    keys(s, 'f');
    type(s, 'sev:high');
    keys(s, 'Enter');
    pane = await waitFor(s, `(${high} of 44 events)`, 'filter');
    expect(lines(pane)[1]).toContain('filter: sev:high');
    for (const l of lines(pane).slice(3, 3 + high)) expect(l).toMatch(/ HIGH /);

    // Export: the path prompt, then the confirmation with the absolute path; the file is a valid Analysis.
    const out = join(tmp, 'report.json');
    keys(s, 'x');
    await waitFor(s, 'to> forensic-report.json', 'export-prompt');
    keys(s, 'C-u');
    type(s, out);
    keys(s, 'Enter');
    pane = await waitFor(s, `wrote the analysis JSON to ${out}`, 'exported');
    expect(Analysis.parse(JSON.parse(readFileSync(out, 'utf8'))).rootCause?.finding).toBe(
      'default-route-mismatch#node1',
    );

    // Help, then quit: the alternate screen is gone and the shell sees exit 0.
    keys(s, '?');
    await waitFor(s, /MOVE\s+VIEWS/, 'help');
    keys(s, 'Escape', 'q');
    pane = await waitFor(s, 'EXIT=0', 'quit');
    expect(pane).not.toContain('ROOT CAUSE');
  });

  test('80x24 fits, follows a resize to 120x40 and back', { timeout: 300_000 }, async () => {
    const s = 'small';
    start(s, 80, 24);
    let pane = await waitFor(s, 'CHAIN', 'open-80x24');
    for (const l of lines(pane)) expect(l.length).toBeLessThanOrEqual(80);
    expect(lines(pane)[22]).toMatch(/\?:help .* \d+\/\d+\s*$/);
    keys(s, '3');
    pane = await waitFor(s, 'ASYM', 'flows-80x24');
    expect(pane).toMatch(/ASYM 203\.0\.113\.50:51514\s+192\.0\.2\.240:443 eth1 eth0 reset\s+bad_record_mac/);
    // Mouse wheel (SGR report, as a terminal with mouse reporting sends it): three rows down.
    keys(s, '2');
    await waitFor(s, /TIME\s+NODE/, 'timeline-80x24');
    type(s, '\u001b[<65;10;10M');
    pane = await waitFor(s, / 4\/44\s*$/m, 'wheel-down');
    keys(s, '3');
    await waitFor(s, 'ASYM', 'flows-80x24-again');
    tmux('resize-window', '-t', s, '-x', '120', '-y', '40');
    pane = await waitFor(s, /PROTO CLIENT/, 'resized-120x40');
    expect(lines(pane)[38]).toMatch(/\?:help .* 1\/7\s*$/);
    expect(pane.match(/ROOT CAUSE/g)?.length).toBe(1);
    tmux('resize-window', '-t', s, '-x', '80', '-y', '24');
    pane = await waitFor(s, /!\s+CLIENT\s+SERVER\s+IN\s+OUT\s+STATE\s+TLS/, 'resized-back');
    expect(pane.match(/ROOT CAUSE/g)?.length).toBe(1);
    expect(lines(pane)[22]).toMatch(/\?:help .* 1\/7\s*$/);
    keys(s, 'q');
    await waitFor(s, 'EXIT=0', 'quit-80x24');
  });

  test('--no-color and NO_COLOR drop colours; SIGTERM restores the terminal', {
    timeout: 300_000,
  }, async () => {
    start('colour', 100, 30);
    await waitFor('colour', 'CHAIN', 'colour');
    expect(hasColour(capture('colour', true))).toBe(true);
    start('nocolor', 100, 30, ['--no-color']);
    await waitFor('nocolor', 'CHAIN', 'no-color-flag');
    expect(hasColour(capture('nocolor', true))).toBe(false);
    start('nocolorenv', 100, 30, [], 'NO_COLOR=1');
    await waitFor('nocolorenv', 'CHAIN', 'no-color-env');
    expect(hasColour(capture('nocolorenv', true))).toBe(false);
    keys('nocolor', 'q');
    keys('nocolorenv', 'q');
    // SIGTERM to the node process: the TUI leaves the alternate screen and exits 143.
    const shell = tmux('list-panes', '-t', 'colour', '-F', '#{pane_pid}').trim();
    const node = execFileSync('pgrep', ['-P', shell, 'node'], { encoding: 'utf8' }).trim().split('\n')[0];
    process.kill(Number(node), 'SIGTERM');
    const pane = await waitFor('colour', 'EXIT=143', 'sigterm');
    expect(pane).not.toContain('ROOT CAUSE');
  });
});

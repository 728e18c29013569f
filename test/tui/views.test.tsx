import { afterEach, describe, expect, test } from 'vitest';
import { palette } from '../../src/tui/palette.js';
import { initialState } from '../../src/tui/state.js';
import { cleanup, loadFixture, renderApp, sourcesOf } from './helpers.js';

afterEach(() => cleanup());

/** Every line fits the terminal width and the frame fills the screen minus ink's last line. */
function expectFits(frame: string, cols: number, rows: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBe(rows - 1);
  for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(cols);
  expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
}

describe('root cause view', () => {
  test('shows the verdict, the chain in order, the fix and what was ruled out (120x40)', async () => {
    const app = renderApp(120, 40);
    const f = await app.until('CHAIN');
    expectFits(f, 120, 40);
    expect(f).toContain('ROOT CAUSE default-route-mismatch on node1 · 92% · L3 critical');
    expect(f).toContain('VERDICT  node1 replies to off-subnet clients');
    const order = ['tls-bad-record-mac', 'asymmetric-routing', 'default-route-mismatch'].map((r) =>
      f.indexOf(`CRIT  ${r}`) >= 0 ? f.indexOf(`CRIT  ${r}`) : f.indexOf(`HIGH  ${r}`),
    );
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(f).toMatch(/default-route-mismatch .*◀ root cause/);
    expect(f).toContain('$ ip route replace default via 192.0.2.1 dev eth1');
    expect(f).toContain('RULED OUT');
    expect(f).toContain('✗ ARP / VIP not resolvable');
  });

  test('Enter expands the first link into its evidence, Enter again folds it (80x24)', async () => {
    const app = renderApp(80, 24);
    await app.until('CHAIN');
    const open = await app.press('enter');
    expectFits(open, 80, 24);
    expect(open).toContain('▾ L7');
    expect(open).toContain('• node1/traefik.log:812');
    expect(open).toContain('evidence (3)');
    const closed = await app.press('enter');
    expect(closed).not.toContain('• node1/traefik.log:812');
  });
});

describe('root cause fix', () => {
  test('a long fix summary wraps under itself instead of being cut (80 columns)', async () => {
    const a = loadFixture();
    const root = a.findings.find((f) => f.id === a.rootCause?.finding);
    if (!root?.remediation) throw new Error('fixture changed: the root cause needs a remediation');
    root.remediation.summary = `Remove 192.0.2.240 from the host with MAC 02:00:00:00:01:01 (also answers for 192.0.2.2): only node1 eth1 should answer for it.`;
    const app = renderApp(80, 40, a);
    const f = await app.until('FIX');
    expectFits(f, 80, 40);
    const lines = f.split('\n');
    const at = lines.findIndex((l) => l.includes('fix: Remove 192.0.2.240'));
    expect(at).toBeGreaterThan(0);
    const rest = lines.slice(at + 1, at + 3).join(' ');
    expect(rest).toContain('only node1 eth1 should answer for it.');
    expect(f).not.toMatch(/fix: Remove[^\n]*…/);
  });
});

describe('root cause alternatives', () => {
  test('show their ranking score, not a percentage (the score is not a probability)', async () => {
    const a = loadFixture();
    const other = a.findings.find((f) => f.id !== a.rootCause?.finding);
    if (!a.rootCause || !other) throw new Error('fixture changed: needs a root cause and another finding');
    a.rootCause.alternatives = [{ finding: other.id, score: 15.64, why: 'explains less: a stand-in' }];
    const app = renderApp(120, 60, a);
    const f = await app.until('ALTERNATIVES');
    expect(f).toContain(`${other.rule} (score 15.6) — explains less: a stand-in`);
    expect(f).not.toMatch(/1564%/);
  });
});

describe('timeline view', () => {
  test('lists events with time, node, layer, severity and repeat counts; escapes control characters', async () => {
    const app = renderApp(100, 30);
    const f = await app.press('2');
    expectFits(f, 100, 30);
    expect(f).toMatch(/TIME\s+NODE\s+LAYER\s+SEV\s+×N EVENT\s+\(44 events\)/);
    expect(f).toMatch(/10:14:03\.050\s+node1\s+L4\s+MED\s+×6 retransmission/);
    const end = await app.press('G');
    expectFits(end, 100, 30);
    expect(end).toContain('embedded escape \\x1b[31mRED\\');
    expect(end).toMatch(/ 44\/44\s*$/);
  });

  test('search highlights, reports the row, and the filter prompt narrows the list', async () => {
    const app = renderApp(100, 30);
    await app.press('2', '/', 'SSL_ERROR', 'enter');
    expect(app.frame().split('\n').at(-1)).toMatch(/\/SSL_ERROR: row 13 of 44/);
    await app.press('f', 'node:client', 'enter');
    const f = app.frame();
    expect(f).toContain('filter: node:client');
    expect(f).toContain('(5 of 44 events)');
    expect(f.split('\n').slice(3).join('\n')).not.toMatch(/ node1 /);
  });
});

describe('flows and flow detail', () => {
  test('the table marks asymmetric flows and shows in/out interfaces (80x24)', async () => {
    const app = renderApp(80, 24);
    const f = await app.press('3');
    expectFits(f, 80, 24);
    expect(f).toMatch(/ASYM\s+203\.0\.113\.50:51514\s+192\.0\.2\.240:443 eth1 eth0 reset\s+bad_record_mac/);
    expect(f).toMatch(/\n\s+192\.0\.2\.50:40022\s+192\.0\.2\.240:443 eth1 eth1 closed/);
  });

  test('Enter opens the ladder with the interface each packet crossed and the joined log line', async () => {
    const app = renderApp(100, 30);
    const f = await app.press('3', 'enter');
    expectFits(f, 100, 30);
    expect(f).toContain('ASYMMETRIC: requests in eth1, replies out eth0');
    expect(f).toMatch(/│─+ SYN seq=0 win=64240 ─+▶│\s+eth1/);
    expect(f).toMatch(/│◀─+ SYN-ACK seq=0 ack=1 ─+│\s+eth0 ≠/);
    expect(f).toContain('LOG LINES');
    expect(f).toMatch(/HIGH node1\/traefik\.log:812 http: TLS handshake error from 203\.0\.113\.50:51514/);
    const back = await app.press('esc');
    expect(back).toMatch(/ASYM\s+tcp\s+203\.0\.113\.50:51514/);
  });

  test('a stalled flow is marked LOST, sorted among the problems, and its detail says what was lost', async () => {
    const a = loadFixture();
    const plain = a.flows.find((f) => f.client.port === 40022);
    if (!plain) throw new Error('fixture changed: no flow from port 40022');
    plain.stall = {
      dir: 'toClient',
      payload: 1448,
      ipLen: 1500,
      df: true,
      sends: 6,
      peerAlive: true,
      peerMss: 1460,
    };
    const app = renderApp(100, 30, a);
    const f = await app.press('3');
    expectFits(f, 100, 30);
    expect(f).toMatch(/LOST\s+tcp\s+192\.0\.2\.50:40022\s+192\.0\.2\.240:443 eth1 eth1 closed/);
    const rows = f.split('\n');
    const at = (re: RegExp) => rows.findIndex((l) => re.test(l));
    // Problems first: the asymmetric flows, then the stalled one right after them.
    expect(at(/LOST/)).toBe(rows.findLastIndex((l) => /ASYM/.test(l)) + 1);
    const detail = await app.press(...Array(at(/LOST/) - at(/ASYM/)).fill('j'), 'enter');
    expectFits(detail, 100, 30);
    expect(detail).toContain(
      'STALLED to the client: 1500-byte packet (1448 bytes of data, DF set) sent 6×, never acknowledged …',
    );
  });
});

describe('findings, files, help, export', () => {
  test('findings are grouped by layer, symptom layer first', async () => {
    const app = renderApp(100, 30);
    const f = await app.press('4');
    const groups = [
      'L7  application',
      'L4  transport',
      'L3  network',
      'L2  link',
      'config  configuration',
    ].map((g) => f.indexOf(g));
    expect(groups.every((x) => x > 0)).toBe(true);
    expect([...groups].sort((x, y) => x - y)).toEqual(groups);
  });

  test('files show coverage; e goes to the next problem file and Enter shows its issues', async () => {
    const app = renderApp(80, 24);
    const f = await app.press('5');
    expectFits(f, 80, 24);
    expect(f).toContain('11 files · 8 parsed · 1 partial · 1 rejected · 1 unrecognised');
    expect(f).toMatch(/REJECTED\s+node1\/capture-eth0\.pcap\s+pcap\s+node1\s+0\s+0\s+1/);
    const open = await app.press('e', 'e', 'enter');
    expect(open).toMatch(/offset 8\s+bad-snaplen\s+pcap header claims snaplen/);
  });

  test('node names: whole on a wide terminal, cut on a narrow one; flows name theirs when several nodes captured', async () => {
    const rename = () => {
      const a = loadFixture();
      const text = JSON.stringify(a)
        .replaceAll('"node":"client"', '"node":"client-remote"')
        .replaceAll('"name":"client"', '"name":"client-remote"');
      const b = JSON.parse(text) as typeof a;
      // One flow captured by the client too: the flows come from two nodes.
      b.flows[b.flows.length - 1].node = 'client-remote';
      return b;
    };
    const wide = renderApp(140, 40, rename());
    const files = await wide.press('5');
    expect(files).toMatch(/ client-remote +\d/);
    const flows = await wide.press('3');
    expect(flows).toMatch(/NODE +PROTO|NODE +CLIENT/);
    expect(flows).toMatch(/ client-remote /);
    cleanup();
    const narrow = renderApp(80, 24, rename());
    const f = await narrow.press('5');
    expectFits(f, 80, 24);
    expect(f).toContain('client-…');
  });

  test('? shows the keys; x exports through the writer and confirms with its path', async () => {
    const calls: [string, string][] = [];
    const app = renderApp(100, 30, loadFixture(), async (fmt: string, path: string) => {
      calls.push([fmt, path]);
      return `exported ${fmt} report to /abs/${path}`;
    });
    const help = await app.press('?');
    expect(help).toMatch(/MOVE\s+VIEWS/);
    expect(help).toContain('q  Ctrl-C');
    await app.press('esc', 'x');
    expect(app.frame()).toContain('export md (Tab: md/html/json) to> forensic-report.md');
    await app.press('tab', 'enter');
    const done = await app.until('exported html');
    expect(calls).toEqual([['html', 'forensic-report.html']]);
    expect(done).toContain('exported html report to /abs/forensic-report.html');
  });
});

describe('colour', () => {
  test('rows carry layer/severity colours, none with noColor or NO_COLOR', () => {
    const coloured = sourcesOf(loadFixture(), true).get({
      ...initialState(100, 30, false),
      view: 'timeline',
    });
    const plain = sourcesOf(loadFixture(), false).get({ ...initialState(100, 30, false), view: 'timeline' });
    const colours = (r: typeof coloured) =>
      r
        .row(10)
        .segs.map((s) => s.c)
        .filter(Boolean);
    expect(colours(coloured).length).toBeGreaterThan(0);
    expect(colours(plain)).toEqual([]);
    expect(palette(false, { NO_COLOR: '1' }).on).toBe(false);
    expect(palette(false, { NO_COLOR: '' }).on).toBe(true);
    expect(palette(true, {}).on).toBe(false);
  });
});

/**
 * TUI benchmark: a 1,000,000-event timeline rendered by the real App into a
 * fake 120x40 terminal. Prints the time to build the model, the time to the
 * first frame, the time to open the timeline, and per-keystroke render time
 * (mean / p95 / max) for `j`, PgDn, `G`/`g`, search `n` and the filter prompt.
 *
 *   tui: 1,000,000 timeline events, 120x40, NODE_ENV=production
 *   model (sort check + lookups)      530.5 ms
 *   first frame (root cause)          819.7 ms
 *   key                         n     mean      p95      max  cpu mean  cpu p95
 *   j                         120    79.84   138.13   241.78     41.92    65.79
 *   PgDn                       50    82.80   141.96   193.27     43.33    52.58
 *   n (scan 1M, wraps)         10   374.84   559.32   559.32    247.28   308.66
 *   (measured on 2 shared CPUs at load average ~10; navigation cost does not depend on the event count)
 *
 * Run: `node dist/bench/tui.js` (after `npx tsc -p tsconfig.build.json`).
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import type { Analysis, TimelineEntry } from '../src/model/analysis.js';

/** A fake terminal output that resolves waiters on every frame. */
class FakeStdout extends EventEmitter {
  columns = 120;
  rows = 40;
  isTTY = false;
  frames = 0;
  last = '';
  private waiters: (() => void)[] = [];
  write = (s: string) => {
    this.frames++;
    this.last = s;
    for (const w of this.waiters.splice(0)) w();
    return true;
  };
  /** Resolves at the next write. */
  next(): Promise<void> {
    return new Promise((res) => this.waiters.push(res));
  }
}

/** A fake raw-mode terminal input. */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(d: string) {
    this.data = d;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** An Analysis with `n` timeline events (unique texts, mixed layers and severities) and a small chain. */
export function bigAnalysis(n: number): Analysis {
  const base = Date.parse('2024-05-01T10:00:00Z');
  const layers = ['L4', 'L4', 'L7', 'L3', 'L2'] as const;
  const sevs = ['info', 'info', 'medium', 'info', 'high'] as const;
  const timeline: TimelineEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ms = base + i;
    const iso = `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
    const k = i % 5;
    timeline[i] = {
      ts: iso,
      node: i % 7 === 0 ? 'client' : 'node1',
      source: k === 2 ? 'node1/traefik.log' : 'node1/capture-any.pcapng',
      layer: layers[k],
      severity: sevs[k],
      kind: k === 4 ? 'tls-alert' : 'retransmit',
      text:
        k === 4
          ? `TLS alert fatal bad_record_mac from 192.0.2.240:443 to 203.0.113.50:${1024 + (i % 60000)} (#${i})`
          : `retransmission 192.0.2.240:443 → 203.0.113.50:${1024 + (i % 60000)} seq=${i * 1448}`,
      ref: k === 2 ? `node1/traefik.log:${i + 1}` : `node1/capture-any.pcapng#${i + 1}`,
      ...(i % 1000 === 0 ? { count: 12, until: iso } : {}),
    };
  }
  timeline[n - 1000].text = 'needle: the one event the search must find';
  const ev = (i: number) => ({
    file: 'node1/capture-any.pcapng',
    packet: i + 1,
    ts: timeline[i].ts,
    text: timeline[i].text,
  });
  return {
    schemaVersion: 1,
    generatedBy: 'bench/tui',
    bundle: { path: 'bench', nodes: [{ name: 'node1', interfaces: [] }], files: [] },
    findings: [
      {
        id: 'a',
        rule: 'tls-bad-record-mac',
        title: 'TLS bad record MAC',
        layer: 'L7',
        severity: 'high',
        summary: 's',
        evidence: [ev(4)],
      },
      {
        id: 'b',
        rule: 'asymmetric-routing',
        title: 'asymmetric',
        layer: 'L3',
        severity: 'high',
        summary: 's',
        evidence: [ev(n / 2)],
        causes: ['a'],
      },
      {
        id: 'c',
        rule: 'default-route-mismatch',
        title: 'default route',
        layer: 'L3',
        severity: 'critical',
        summary: 's',
        evidence: [ev(n - 5)],
        causes: ['b'],
      },
    ],
    rootCause: { finding: 'c', chain: ['a', 'b', 'c'], confidence: 0.9, summary: 'benchmark chain' },
    timeline,
    flows: [],
    coverage: { files: [] },
  };
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    n: s.length,
    mean,
    p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0,
    max: s.at(-1) ?? 0,
  };
}

/** Build a 1,000,000-event Analysis, render it, press keys; print and return the timings (ms). */
export async function runTuiBench(
  events = 1_000_000,
): Promise<Record<string, { n: number; mean: number; p95: number; max: number }>> {
  process.env.NODE_ENV ??= 'production';
  const { render } = await import('ink');
  const { createElement } = await import('react');
  const { App } = await import('../src/tui/app.js');
  const { TuiModel } = await import('../src/tui/model.js');
  const { Sources } = await import('../src/tui/sources.js');
  const { palette } = await import('../src/tui/palette.js');

  const a = bigAnalysis(events);
  const out = new FakeStdout();
  const inp = new FakeStdin();
  const t0 = performance.now();
  const model = new TuiModel(a);
  const tModel = performance.now() - t0;
  const first = out.next();
  const inst = render(
    createElement(App, {
      sources: new Sources(model, palette(false, {})),
      onExport: async () => 'ok',
      canReport: false,
      cols: 120,
      rows: 40,
    }),
    {
      stdout: out as unknown as NodeJS.WriteStream,
      stdin: inp as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  await first;
  const tFirst = performance.now() - t0;

  const times: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const press = async (name: string, bytes: string) => {
    const next = out.next();
    const c = process.cpuUsage();
    const t = performance.now();
    inp.write(bytes);
    await Promise.race([next, new Promise((res) => setTimeout(res, 5000))]);
    times[name] = times[name] ?? [];
    times[name].push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu[name] = cpu[name] ?? [];
    cpu[name].push((d.user + d.system) / 1000);
  };
  await press('open timeline (2)', '2');
  for (let i = 0; i < 120; i++) await press('j', 'j');
  for (let i = 0; i < 50; i++) await press('PgDn', '\u001b[6~');
  for (let i = 0; i < 10; i++) {
    await press('G', 'G');
    await press('g', 'g');
  }
  // Search: type the query (each key renders the prompt), Enter runs the first scan, n repeats it.
  await press('/', '/');
  for (const ch of 'needle') await press('search typing', ch);
  await press('search Enter (scan)', '\r');
  for (let i = 0; i < 10; i++) await press('n (scan 1M, wraps)', 'n');
  await press('f', 'f');
  for (const ch of 'sev:high') await press('filter typing', ch);
  await press('filter Enter (1M pass)', '\r');
  for (let i = 0; i < 20; i++) await press('j (filtered)', 'j');
  const frameOk =
    out.last.includes('EVENT') && out.last.includes(`of ${events.toLocaleString('en-US')} events`);
  inst.unmount();

  const all = Object.values(times).flat();
  const rows: [string, ReturnType<typeof stats>][] = Object.entries(times).map(([k, v]) => [k, stats(v)]);
  const lines = [
    `tui: ${events.toLocaleString('en-US')} timeline events, 120x40, NODE_ENV=${process.env.NODE_ENV}`,
    `model (sort check + lookups)   ${tModel.toFixed(1).padStart(8)} ms`,
    `first frame (root cause)       ${tFirst.toFixed(1).padStart(8)} ms`,
    `${'key'.padEnd(24)}${'n'.padStart(5)}${'mean'.padStart(9)}${'p95'.padStart(9)}${'max'.padStart(9)}${'cpu mean'.padStart(10)}${'cpu p95'.padStart(9)}   (ms, key press → frame written; cpu = this process)`,
    ...rows.map(([k, s]) => {
      const c = stats(cpu[k]);
      return `${k.padEnd(24)}${String(s.n).padStart(5)}${s.mean.toFixed(2).padStart(9)}${s.p95.toFixed(2).padStart(9)}${s.max.toFixed(2).padStart(9)}${c.mean.toFixed(2).padStart(10)}${c.p95.toFixed(2).padStart(9)}`;
    }),
    `${'all keystrokes'.padEnd(24)}${String(all.length).padStart(5)}${stats(all).mean.toFixed(2).padStart(9)}${stats(all).p95.toFixed(2).padStart(9)}${stats(all).max.toFixed(2).padStart(9)}${stats(Object.values(cpu).flat()).mean.toFixed(2).padStart(10)}${stats(Object.values(cpu).flat()).p95.toFixed(2).padStart(9)}`,
    `load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${(await import('node:os')).cpus().length} CPUs`,
    `last frame shows the filtered timeline: ${frameOk ? 'yes' : 'NO'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return {
    model: { n: 1, mean: tModel, p95: tModel, max: tModel },
    firstFrame: { n: 1, mean: tFirst, p95: tFirst, max: tFirst },
    all: stats(all),
    ...Object.fromEntries(rows),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  runTuiBench(n).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}

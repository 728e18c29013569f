/**
 * Hostile input for the client and Kubernetes formats: long lines built to make
 * backtracking regexes blow up, control characters, and random bytes. Each
 * format must stay fast, never throw, and account for every line.
 */
import { describe, expect, it } from 'vitest';
import { textFormats } from '../../../parsers/text/registry.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';

const MINE = ['ping', 'curl', 'traceroute', 'kubectl', 'metallb', 'cert-manager', 'vagrantfile'];
const N = 200_000;

/** True when any string inside `v` still holds a raw control character (TAB allowed). */
function rawControl(v: unknown): boolean {
  if (typeof v === 'string') return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(v);
  if (v && typeof v === 'object') return Object.values(v).some(rawControl);
  return false;
}

const HOSTILE = [
  `*   Trying ${'1'.repeat(N)}`,
  `* TLSv1.3 (IN), ${' (1'.repeat(N / 3)}`,
  `PING ${'a'.repeat(N)} (`,
  `64 bytes from ${'x'.repeat(N)}`,
  ` 1  ${'a (b) '.repeat(N / 6)}`,
  `E0501 10:00:00.000000 1 x.go:1] ${'a="'.repeat(N / 3)}`,
  `Name:   x\n${' '.repeat(N)}a`,
  `NAME${'  A'.repeat(N / 3)}`,
  `{"caller":"x","level":"error","msg":"${'\\u001b'.repeat(N / 6)}"}`,
  `  config.vm.network "private_network", ${'ip: '.repeat(N / 4)}`,
  `$ ${'curl '.repeat(N / 5)}`,
  `\u001b[31m* Connected to evil (192.0.2.1) port 443\u0007`,
  // control characters inside fields each format captures
  '* Host evil\u001b[2J.example:443 was resolved.',
  '* Connected to evil\u001b[2J (192.0.2.1\u0007) port 443',
  'PING evil\u001b[2J (192.0.2.1\u0007) 56(84) bytes of data.',
  'From 192.0.2.1\u001b icmp_seq=1 Destination \u001b[2J Unreachable',
  ' 2  evil\u001b[2J (192.0.2.1\u0007)  1.0 ms',
  'traceroute to evil\u001b (192.0.2.9\u0007), 30 hops max, 60 byte packets',
  ' 1  evil\u001b[2J (192.0.2.1\u0007)  1.0 ms',
  'NAME   TYPE   CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
  'ev\u001bil  LoadBalancer   10.0.0.1\u0007   <pending>   80/TCP   1d',
  'certificate.cert-manager.io/ev\u001bil   True    x',
];

describe('client/k8s formats on hostile input', () => {
  it.each(MINE)('%s', async (id) => {
    const f = textFormats.get(id)!;
    const input = `${f.samples[0].input}\n${HOSTILE.join('\n')}\n${f.samples[0].input}`;
    const t0 = performance.now();
    const { records, issues, counts } = await parseString(f, input);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(10_000); // generous: the test machine is shared; backtracking blow-ups take minutes
    expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
    for (const r of [...records, ...issues])
      expect(checkRecord(r), JSON.stringify(r).slice(0, 300)).toBeNull();
    expect(issues.filter((i) => (i as { code: string }).code === 'parser-error')).toEqual([]);
    for (const r of records) expect(rawControl(r), JSON.stringify(r).slice(0, 300)).toBe(false);
  });
});

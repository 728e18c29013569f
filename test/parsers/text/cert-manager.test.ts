import { describe, expect, it } from 'vitest';
import { certManager } from '../../../parsers/text/cert-manager.js';
import { parseString } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

describe('cert-manager samples', () => sampleCases(certManager));

describe('cert-manager details', () => {
  it('klog timestamps take the year from the context and the zone from tz', async () => {
    const line =
      'W0501 12:00:00.500000       1 sync.go:1] cert-manager/orders "msg"="failed" "error"="acme: x"';
    const { records } = await parseString(certManager, line, { year: 2024, tz: 'Europe/Berlin' });
    expect(records).toMatchObject([
      { ts: '2024-05-01T10:00:00.500000000Z', level: 'warning', error: 'acme: x' },
    ]);
  });
  it('a kubectl --timestamps prefix wins over the klog clock', async () => {
    const line =
      '2024-05-01T10:00:00.123456789Z E0501 10:00:00.000000       1 x.go:1] "boom" err="urn:ietf:params:acme:error:dns"';
    const { records } = await parseString(certManager, line, { year: 2024 });
    expect(records).toMatchObject([{ ts: '2024-05-01T10:00:00.123456789Z', message: 'boom', acme: true }]);
  });
  it('accounts describe lines: cert blocks parsed, other kinds skipped, events rows tied to the resource', async () => {
    const s = certManager.samples[3];
    const { counts } = await parseString(certManager, s.input);
    expect(counts).toEqual({ parsed: 17, skipped: 2, issues: 0, lines: 19 });
  });
  it('reads several describe blocks separated by blank lines', async () => {
    const block = (n: string, st: string) =>
      [
        `Name:         ${n}`,
        'Namespace:    default',
        'Kind:         Certificate',
        'Status:',
        '  Conditions:',
        `    Status:  ${st}`,
        '    Type:    Ready',
        'Events:       <none>',
        '',
      ].join('\n');
    const { records, counts } = await parseString(certManager, block('a', 'True') + block('b', 'False'));
    expect(records).toMatchObject([
      { name: 'a', ready: true },
      { name: 'b', ready: false },
    ]);
    expect(counts.issues).toBe(0);
  });
  it('sniff', () => {
    expect(certManager.sniff(['PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.'], 'x')).toBe(0);
    expect(certManager.sniff(['{"caller":"main.go:1","event":"serviceAnnounced"}'], 'x')).toBe(0);
    expect(certManager.sniff(['Name: x', 'API Version:  cert-manager.io/v1'], 'x')).toBeGreaterThan(0.9);
    expect(certManager.sniff(['NAME   READY   SECRET   AGE'], 'x')).toBeGreaterThan(0.8);
  });
});

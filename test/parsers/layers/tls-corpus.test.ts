/**
 * Agreement with tshark on the real-capture corpus (`tls.txt` oracles): per
 * frame, the content types of the TLS records completed in it (after TCP
 * reassembly), the plaintext alert descriptions and the ClientHello SNI.
 * tshark lists TLS 1.3 encrypted records as opaque_type, not content_type, so
 * frames with only those have an empty row; such rows are compared as "no
 * non-opaque records".
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/flows/analyze.js';
import { CORPUS_SKIP, corpusAvailable, corpusFile, manifest, oracle } from '../../helpers/corpus.js';

const rows = manifest().filter((r) => oracle(r.file, 'tls.txt') !== null);

function oracleRows(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((c) => (c[1] ?? '') !== '' || (c[2] ?? '') !== '' || (c[3] ?? '') !== '')
    .map((c) => `${c[0]} [${c[1] ?? ''}] [${c[2] ?? ''}] [${c[3] ?? ''}]`);
}

describe.skipIf(!corpusAvailable)('TLS records agree with tshark -Y tls', () => {
  it.each(rows.map((r) => r.file))('%s', async (file) => {
    const got: string[] = [];
    const opaqueOnly: number[] = [];
    await analyzeCapture(corpusFile(file), {
      file,
      idleTimeout: Number.POSITIVE_INFINITY,
      onPacket: (_p, fr, _i, t) => {
        const types = t.tlsTypes();
        const alerts = t.tlsAlerts();
        if (types.length || alerts.length || t.pktSni !== null) {
          got.push(`${fr.packet} [${types.join(',')}] [${alerts.join(',')}] [${t.pktSni ?? ''}]`);
        } else if (t.pktTlsOpaque) opaqueOnly.push(fr.packet);
      },
    });
    const want = oracleRows(oracle(file, 'tls.txt')!);
    expect(got).toEqual(want);
    // Frames where we saw only TLS 1.3 opaque records must be `tls` frames in tshark too.
    const tlsFrames = new Set(
      oracle(file, 'tls.txt')!
        .trimEnd()
        .split('\n')
        .map((l) => Number(l.split('\t')[0])),
    );
    expect(opaqueOnly.filter((n) => !tlsFrames.has(n))).toEqual([]);
  });
});

// Only when the corpus is missing: a skipped test whose title says why.
if (!corpusAvailable) it.skip(CORPUS_SKIP, () => {});

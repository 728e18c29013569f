/**
 * Sniff competition for the client and Kubernetes formats: every sample of each
 * is claimed by its own format against every registered format, and none of
 * them claims another format's samples.
 */
import { describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../parsers/sniff.js';
import { textFormats } from '../../../parsers/text/registry.js';

const MINE = ['ping', 'curl', 'traceroute', 'kubectl', 'metallb', 'cert-manager', 'vagrantfile'];

describe('client/k8s format sniffing', () => {
  const own = MINE.flatMap((id) => (textFormats.get(id)?.samples ?? []).map((s, i) => ({ id, i, s })));
  it('all seven formats are registered', () => {
    for (const id of MINE) expect(textFormats.has(id), id).toBe(true);
  });
  it.each(own)('$id sample $i is claimed by $id', ({ id, s }) => {
    const ranked = rankTextFormats(s.input.split('\n'), 'sample.txt');
    expect(ranked[0]?.format.id).toBe(id);
  });
  const others = [...textFormats.values()]
    .filter((f) => !MINE.includes(f.id))
    .flatMap((f) => f.samples.map((s, i) => ({ id: f.id, i, s })));
  it.each(others)('$id sample $i is not claimed by a client/k8s format', ({ s }) => {
    const top = rankTextFormats(s.input.split('\n'), 'sample.txt')[0];
    if (top) expect(MINE.includes(top.format.id) && top.confidence >= 0.3, top.format.id).toBe(false);
  });
});

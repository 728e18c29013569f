/** Archives inside a bundle (per-host tarballs from `forensic collect`) join it as if extracted in place. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { discover } from '../../src/bundle/discover.js';
import { tempDirs } from '../helpers/tmp.js';

const SAMPLE = resolve(import.meta.dirname, '../../samples/asymmetric-drop');
const tmp = tempDirs('forensic-nested-');

/** The sample as one archive per host: node1 and router as collect writes them (`<host>/…` inside), the clients as bare files. */
function archived(): string {
  const d = tmp();
  execFileSync('tar', ['-czf', join(d, 'forensic-node1-20261126T075300Z.tar.gz'), '-C', SAMPLE, 'node1']);
  execFileSync('tar', ['-cf', join(d, 'router.tar'), '-C', SAMPLE, 'router']);
  execFileSync('tar', ['-czf', join(d, 'client-remote.tgz'), '-C', join(SAMPLE, 'client-remote'), '.']);
  mkdirSync(join(d, 'client-lan'));
  cpSync(join(SAMPLE, 'client-lan'), join(d, 'client-lan'), { recursive: true });
  return d;
}

describe('archives inside a bundle', () => {
  it('are analysed as if extracted where they lie, with the same nodes and verdict', async () => {
    const want = await analyzeBundle(SAMPLE, { workers: 0 });
    const a = await analyzeBundle(archived(), { workers: 0 });
    const inner = (x: typeof a) =>
      x.coverage.files
        .filter(
          (c) => !/\.(tar|tgz|tar\.gz)$/.test(c.path) && c.status !== 'excluded' && c.format !== 'manifest',
        )
        .map((c) => `${c.path} ${c.node} ${c.format} ${c.parsed}`);
    expect(inner(a)).toEqual(
      inner(want).filter((l) => !l.startsWith('EXPECTED') && !l.startsWith('expected')),
    );
    expect(a.rootCause?.finding).toBe(want.rootCause?.finding);
    const tgz = a.coverage.files.find((c) => c.path === 'client-remote.tgz');
    expect(tgz).toMatchObject({ status: 'parsed', format: 'tar', parsed: 4 });
  });

  it('are extracted into directories that the cleanup removes; archives inside them stay archives', async () => {
    const d = archived();
    execFileSync('tar', ['-cf', join(d, 'outer.tar'), '-C', d, 'router.tar']);
    const cleanup: Array<() => Promise<void>> = [];
    const files = await discover(d, undefined, cleanup);
    const inRouter = files.find((f) => f.rel === 'router/ip-route.txt');
    expect(inRouter && existsSync(inRouter.abs)).toBe(true);
    // outer.tar holds only router.tar (bare files: they go under outer/); it is listed, not expanded.
    const nested = files.find((f) => f.rel === 'outer/router.tar');
    expect(nested?.archive).toBeUndefined();
    expect(nested?.sniffed).toMatchObject({
      kind: 'unknown',
      archive: 'tar',
      reason: expect.stringMatching(/^a tar archive: analyze it as a bundle/),
    });
    for (const c of cleanup) await c();
    expect(existsSync(inRouter?.abs ?? '')).toBe(false);
  });
});

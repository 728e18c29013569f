/** Where the bundle is inside an extracted archive (bundleRoot). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleRoot } from '../../src/bundle/archive.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('forensic-root-');

/** A directory holding `files` (paths ending in `/` are empty directories). */
function tree(files: string[]): string {
  const d = tmp();
  for (const f of files) {
    if (f.endsWith('/')) mkdirSync(join(d, f), { recursive: true });
    else {
      mkdirSync(dirname(join(d, f)), { recursive: true });
      writeFileSync(join(d, f), 'x');
    }
  }
  return d;
}

describe('bundleRoot', () => {
  it('is the directory the archive wrapped the nodes in', async () => {
    const d = tree(['incident-42/node1/eth0.pcap', 'incident-42/client/curl.txt']);
    expect(await bundleRoot(d)).toBe(join(d, 'incident-42'));
  });

  it('is the wrapping directory when it holds the manifest, even with files only', async () => {
    const d = tree(['b/forensic.yaml', 'b/capture.pcap']);
    expect(await bundleRoot(d)).toBe(join(d, 'b'));
  });

  it('goes through several wrappers, and past macOS and hidden entries', async () => {
    const d = tree(['home/me/bundle/node1/a.pcap', 'home/me/bundle/node2/b.pcap', '__MACOSX/x', '.DS_Store']);
    expect(await bundleRoot(d)).toBe(join(d, 'home/me/bundle'));
  });

  it("keeps a lone node's directory as a node (files and generic directories only)", async () => {
    const files = tree(['node1/eth0.pcap', 'node1/ip-route.txt']);
    expect(await bundleRoot(files)).toBe(files);
    const generic = tree(['node1/captures/eth0.pcap', 'node1/logs/traefik.log']);
    expect(await bundleRoot(generic)).toBe(generic);
    const single = tree(['bundle/node1/eth0.pcap']);
    expect(await bundleRoot(single)).toBe(join(single, 'bundle'));
  });

  it('stays at the root when it holds several entries', async () => {
    const d = tree(['node1/a.pcap', 'node2/b.pcap']);
    expect(await bundleRoot(d)).toBe(d);
    const e = tree(['wrap/node1/a.pcap', 'notes.txt']);
    expect(await bundleRoot(e)).toBe(e);
  });
});

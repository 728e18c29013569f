/**
 * Bundles shipped as archives (`.tar`, `.tar.gz`/`.tgz`, `.zip`) are extracted
 * into a private temporary directory first. Extraction is defensive: absolute
 * paths and `..` are refused, total size and entry count are bounded.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isGenericDir } from './attribute.js';
import { isJunk, isManifestName } from './discover.js';

// tar and yauzl are loaded when an archive is extracted: most bundles are directories, and
// every analysis would pay their ~25 ms of module loading.

/** Upper bounds for extraction. */
export const ARCHIVE_LIMITS = { maxBytes: 32 * 1024 ** 3, maxEntries: 100_000 };

/** The kind of archive a path names, or null for a directory/plain file. */
export function archiveKind(path: string): 'tar' | 'zip' | null {
  const p = path.toLowerCase();
  if (p.endsWith('.tar') || p.endsWith('.tar.gz') || p.endsWith('.tgz')) return 'tar';
  if (p.endsWith('.zip')) return 'zip';
  return null;
}

/** An extracted archive; `cleanup()` removes the temporary directory. */
export interface Extracted {
  dir: string;
  /** The bundle's root: `dir`, or the directory the archive wrapped the bundle in (see bundleRoot). */
  root: string;
  cleanup(): Promise<void>;
  /** Entries that were refused, with the reason. */
  refused: string[];
}

/** Extract `path` (of `kind`, else as its name says) into a fresh temporary directory. */
export async function extractArchive(path: string, kind = archiveKind(path)): Promise<Extracted> {
  const dir = await mkdtemp(join(tmpdir(), 'forensic-bundle-'));
  const refused: string[] = [];
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    if (kind === 'zip') await extractZip(path, dir, refused);
    else {
      const tar = await import('tar');
      let entries = 0;
      let bytes = 0;
      await tar.x({
        file: path,
        cwd: dir,
        strict: false,
        preservePaths: false,
        filter: (p, entry) => {
          entries++;
          const size = 'size' in entry ? Number(entry.size ?? 0) : 0;
          bytes += size;
          if (entries > ARCHIVE_LIMITS.maxEntries || bytes > ARCHIVE_LIMITS.maxBytes) {
            refused.push(`${p}: archive exceeds extraction limits`);
            return false;
          }
          const type = 'type' in entry ? String(entry.type) : '';
          if (type === 'Link' || type === 'CharacterDevice' || type === 'BlockDevice' || type === 'FIFO') {
            refused.push(`${p}: ${type} entries are not extracted`);
            return false;
          }
          return true;
        },
        onwarn: (_code, message) => refused.push(String(message)),
      });
    }
  } catch (e) {
    await cleanup();
    throw new Error(`cannot extract ${path}: ${(e as Error).message}`);
  }
  return { dir, root: await bundleRoot(dir), cleanup, refused };
}

/**
 * The bundle inside an extracted archive. `tar czf bundle.tgz bundle/` wraps the bundle
 * in one directory: that directory is the root (its manifest is the bundle's, and its
 * name is not taken for the node of every file). A lone directory is a wrapper when it
 * holds the manifest, a directory that is not a generic one (logs/, captures/, …), or
 * only a generic directory that is itself a wrapper; one holding files and generic
 * directories is a node's, and stays one.
 */
export async function bundleRoot(dir: string): Promise<string> {
  let root = dir;
  for (;;) {
    const entries = await visible(root);
    if (entries.length !== 1 || !entries[0].isDirectory()) return root;
    const inner = join(root, entries[0].name);
    if (!(await wraps(inner))) return root;
    root = inner;
  }
}

/** True when `dir` holds a bundle rather than one node's files (see bundleRoot). */
async function wraps(dir: string): Promise<boolean> {
  const content = await visible(dir);
  if (
    content.some((e) => (e.isFile() && isManifestName(e.name)) || (e.isDirectory() && !isGenericDir(e.name)))
  )
    return true;
  return content.length === 1 && content[0].isDirectory() && wraps(join(dir, content[0].name));
}

/** The entries of `dir` that are the user's (not hidden or editor files, not macOS resource forks). */
export async function visible(dir: string) {
  return (await readdir(dir, { withFileTypes: true })).filter((e) => !ignored(e.name));
}

/** Entries an archiver adds that are not the user's (hidden and editor files, macOS resource forks). */
function ignored(name: string): boolean {
  return isJunk(name) || name === '__MACOSX';
}

async function extractZip(path: string, dir: string, refused: string[]): Promise<void> {
  const { default: yauzl } = await import('yauzl');
  const zip = await yauzl.openPromise(path, { lazyEntries: true, validateEntrySizes: true });
  let entries = 0;
  let bytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      entries++;
      bytes += entry.uncompressedSize;
      if (entries > ARCHIVE_LIMITS.maxEntries || bytes > ARCHIVE_LIMITS.maxBytes) {
        refused.push(`${entry.fileName}: archive exceeds extraction limits`);
        break;
      }
      if (entry.fileName.endsWith('/')) continue;
      const rel = normalize(entry.fileName);
      if (rel.startsWith('..') || rel.startsWith(sep) || rel.includes(`${sep}..${sep}`)) {
        refused.push(`${entry.fileName}: path leaves the archive root`);
        continue;
      }
      const out = join(dir, rel);
      await mkdir(dirname(out), { recursive: true });
      const rs = await zip.openReadStreamPromise(entry);
      await pipeline(rs, createWriteStream(out));
    }
  } finally {
    zip.close();
  }
}

/**
 * Bundle discovery: walk a directory (or an extracted .tar/.tar.gz/.zip), list
 * every file with its bundle-relative path, and classify it by content. Hidden
 * and editor files are skipped; symlinks leading outside the bundle are refused;
 * nothing is dropped silently — every file ends up in the list with a status.
 */
import { constants } from 'node:fs';
import { access, lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { type Sniffed, sniffFile } from '../../parsers/sniff.js';

/** One file of the bundle. */
export interface SourceFile {
  /** Absolute path on disk. */
  abs: string;
  /** Path relative to the bundle root, with `/` separators. */
  rel: string;
  size: number;
  /** Classification; absent when the file could not be read. */
  sniffed?: Sniffed;
  /** Why the file is not analysed (unreadable, refused symlink, excluded…). */
  problem?: { status: 'unreadable' | 'excluded' | 'refused'; message: string };
}

const MANIFEST_NAMES = new Set(['forensic.yaml', 'forensic.yml', 'forensic.json']);

/** True for files a user did not mean to include (hidden files, editor backups). */
export function isJunk(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    name.endsWith('.swp') ||
    name.endsWith('.swo') ||
    (name.startsWith('#') && name.endsWith('#')) ||
    name === 'Thumbs.db' ||
    name === 'desktop.ini'
  );
}

/** True for the names a manifest may have. */
export function isManifestName(rel: string): boolean {
  return MANIFEST_NAMES.has(rel);
}

/**
 * List every regular file below `root` (bundle-relative paths sorted), classifying
 * each by content. Directories are walked in sorted order so results are deterministic.
 */
export async function discover(root: string, only?: string): Promise<SourceFile[]> {
  const rootReal = await realpath(root);
  const out: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: string[];
    try {
      entries = only && dir === rootReal ? [only] : (await readdir(dir)).sort();
    } catch (e) {
      out.push({
        abs: dir,
        rel: toRel(rootReal, dir),
        size: 0,
        problem: { status: 'unreadable', message: `cannot list directory: ${(e as Error).message}` },
      });
      return;
    }
    for (const name of entries) {
      if (isJunk(name)) continue;
      const abs = join(dir, name);
      const rel = toRel(rootReal, abs);
      let st = await lstat(abs);
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(abs);
        } catch {
          out.push({ abs, rel, size: 0, problem: { status: 'refused', message: 'dangling symlink' } });
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + sep)) {
          out.push({
            abs,
            rel,
            size: 0,
            problem: {
              status: 'refused',
              message: `symlink leads outside the bundle (${target}); not followed`,
            },
          });
          continue;
        }
        st = await stat(abs);
        if (st.isDirectory()) continue; // links to directories inside the bundle: walked via their real path
      }
      if (st.isDirectory()) {
        await walk(abs);
        continue;
      }
      if (!st.isFile()) continue;
      const file: SourceFile = { abs, rel, size: st.size };
      try {
        await access(abs, constants.R_OK);
        file.sniffed = await sniffFile(abs, basename(abs));
      } catch (e) {
        file.problem = { status: 'unreadable', message: `cannot read: ${(e as Error).message}` };
      }
      out.push(file);
    }
  };
  await walk(rootReal);
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

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
import { type Extracted, extractArchive, visible } from './archive.js';

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
  /** An archive inside the bundle, expanded into it: its kind, files and refused entries. */
  archive?: { kind: 'tar' | 'zip'; files: number; refused: string[] };
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
 *
 * An archive in the bundle (a `.tar`, `.tar.gz` or `.zip` by its content, such as the
 * per-host tarballs `forensic collect` writes) is extracted into a temporary directory
 * whose removal is pushed on `cleanup`, and its files join the bundle as if it had been
 * extracted where it lies: `node1/…` inside `a/forensic-node1.tar.gz` becomes
 * `a/node1/…`; an archive of bare files (no directories) gets a directory named after
 * it (`node1.tgz` → `node1/…`), so that its name can name their host. A path taken
 * already goes under the archive's name. Archives inside archives are not expanded.
 */
export async function discover(
  root: string,
  only?: string,
  cleanup?: Array<() => Promise<void>>,
): Promise<SourceFile[]> {
  const rootReal = await realpath(root);
  const out: SourceFile[] = [];
  const expanded: Array<{ dir: string; stem: string; bare: boolean; files: SourceFile[] }> = [];
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
      if (cleanup && file.sniffed?.kind === 'unknown' && file.sniffed.archive)
        await expand(file, file.sniffed.archive, dir);
    }
  };
  /** Extract `file` when it is an archive; its files are placed after the walk. */
  const expand = async (file: SourceFile, kind: 'tar' | 'zip', dir: string): Promise<void> => {
    let ex: Extracted;
    try {
      ex = await extractArchive(file.abs, kind);
    } catch (e) {
      file.sniffed = { kind: 'unknown', gzip: false, reason: (e as Error).message };
      return;
    }
    cleanup?.push(ex.cleanup);
    const files = await discover(ex.root);
    const bare = !(await visible(ex.root)).some((e) => e.isDirectory());
    file.archive = { kind, files: files.length, refused: ex.refused };
    expanded.push({ dir: toRel(rootReal, dir), stem: archiveStem(basename(file.abs)), bare, files });
  };
  await walk(rootReal);
  const taken = new Set(out.map((f) => f.rel));
  for (const x of expanded) {
    const at = (...parts: string[]) => parts.filter((p) => p !== '').join('/');
    for (const f of x.files) {
      let rel = x.bare ? at(x.dir, x.stem, f.rel) : at(x.dir, f.rel);
      if (taken.has(rel)) rel = at(x.dir, x.stem, f.rel);
      taken.add(rel);
      out.push({ ...f, rel });
    }
  }
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}

/** An archive's name without its extension (`forensic-node1.tar.gz` → `forensic-node1`). */
function archiveStem(name: string): string {
  return name.replace(/\.(tar\.gz|tgz|tar|zip)$/i, '') || name;
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

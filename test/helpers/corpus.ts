/**
 * Access to the shared pcap corpus (../shared/corpus/pcap). A user's clone has no
 * ../shared: tests that need it call `corpusOrSkip()` and are skipped with a clear message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Where the corpus lives when present. */
export const CORPUS_DIR = process.env.FORENSIC_CORPUS ?? resolve(REPO_ROOT, '../shared/corpus/pcap');

/** True when the corpus is present. */
export const corpusAvailable = existsSync(join(CORPUS_DIR, 'MANIFEST.tsv'));

/** Message used when skipping. */
export const CORPUS_SKIP = `pcap corpus not found at ${CORPUS_DIR} (set FORENSIC_CORPUS); corpus tests skipped`;

if (!corpusAvailable) console.warn(CORPUS_SKIP);

/** One MANIFEST.tsv row. */
export interface ManifestRow {
  file: string;
  format: string;
  linktypes: string;
  packets: string;
  first_ts: string;
  last_ts: string;
  n_interfaces: string;
  notes: string;
}

/** Rows of MANIFEST.tsv (empty when the corpus is absent). */
export function manifest(): ManifestRow[] {
  if (!corpusAvailable) return [];
  const [head, ...rows] = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  const cols = head.split('\t');
  return rows.map(
    (r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])) as unknown as ManifestRow,
  );
}

/** Path of a corpus file. */
export function corpusFile(name: string): string {
  return join(CORPUS_DIR, name);
}

/** Text of an oracle file (`tcpconv.txt`, `ifaces.txt`, `tls.txt`, `tcpconv-exact.tsv`), or null when absent. */
export function oracle(file: string, kind: string): string | null {
  const p = join(CORPUS_DIR, 'oracle', `${file}.${kind}`);
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
}

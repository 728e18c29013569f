/**
 * Content-based format detection: a file is classified by what it contains, never
 * by its name alone. Captures are recognised by their magic numbers (also inside
 * gzip); text files by asking every registered text format how confident it is.
 */
import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { sniffCapture } from './capture/read.js';
import { utf16Encoding } from './text/lines.js';
import { textFormats } from './text/registry.js';
import type { TextFormat } from './types.js';

/** Minimum confidence for a text format to claim a file. */
export const SNIFF_THRESHOLD = 0.3;

/** Classification of one file. */
export type Sniffed =
  | { kind: 'capture'; format: 'pcap' | 'pcapng'; gzip: boolean }
  | { kind: 'text'; format: TextFormat; confidence: number; gzip: boolean; utf16?: boolean }
  | { kind: 'unknown'; gzip: boolean; reason: string; archive?: 'tar' | 'zip' };

/**
 * The kind of archive a file's first bytes (gunzipped when gzip) show: a zip's local
 * header, or a tar header's `ustar` magic; null for anything else.
 */
export function archiveContent(head: Uint8Array): 'tar' | 'zip' | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar') return 'tar';
  return null;
}

/** True when the bytes look like text (no NULs, mostly printable). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return true;
  let bad = 0;
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) return false;
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) bad++;
  }
  return bad / n < 0.05;
}

/** Read up to `n` bytes from the start of a file, decompressing gzip when present. */
export async function readHead(path: string, n = 256 * 1024): Promise<{ head: Buffer; gzip: boolean }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    const raw = buf.subarray(0, bytesRead);
    if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
      let out: Buffer;
      try {
        out = gunzipSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a cut stream */ });
      } catch {
        out = Buffer.alloc(0);
      }
      return { head: out.subarray(0, n), gzip: true };
    }
    return { head: raw, gzip: false };
  } finally {
    await fh.close();
  }
}

/** Split a text head into lines for sniffing (at most `max`). */
export function headToLines(head: Buffer, max = 200): string[] {
  const text = new TextDecoder('utf-8').decode(head);
  const lines = text.split('\n', max + 1);
  if (lines.length > max) lines.length = max;
  else if (head.length >= 256 * 1024) lines.pop(); // last line may be cut
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Rank text formats for the given lines; best first. */
export function rankTextFormats(
  lines: readonly string[],
  name: string,
): Array<{ format: TextFormat; confidence: number }> {
  const out: Array<{ format: TextFormat; confidence: number }> = [];
  for (const f of textFormats.values()) {
    let c = 0;
    try {
      c = f.sniff(lines, name);
    } catch {
      c = 0;
    }
    if (c > 0) out.push({ format: f, confidence: Math.min(1, c) });
  }
  out.sort((a, b) => b.confidence - a.confidence || a.format.id.localeCompare(b.format.id));
  return out;
}

/**
 * The UTF-8 text of a head that starts with a UTF-16 byte-order mark (what Windows
 * PowerShell writes with `>`), else null. A code unit cut at the end is dropped.
 */
export function utf16Head(head: Buffer): Buffer | null {
  const enc = utf16Encoding(head);
  return enc ? Buffer.from(new TextDecoder(enc).decode(head.subarray(0, head.length & ~1))) : null;
}

/** Classify a file by content. `name` (base name) is only a weak hint for text formats. */
export async function sniffFile(path: string, name: string): Promise<Sniffed> {
  const { head: raw, gzip } = await readHead(path);
  const cap = sniffCapture(raw);
  if (cap) return { kind: 'capture', format: cap, gzip };
  const utf16 = utf16Head(raw);
  const head = utf16 ?? raw;
  if (!looksLikeText(head)) {
    const archive = archiveContent(raw);
    if (archive)
      return {
        kind: 'unknown',
        gzip,
        archive,
        reason: `a ${archive} archive: analyze it as a bundle (forensic analyze FILE); archives inside archives are not opened`,
      };
    return { kind: 'unknown', gzip, reason: 'binary content that is not a pcap/pcapng capture' };
  }
  const ranked = rankTextFormats(headToLines(head), name);
  const best = ranked[0];
  if (!best || best.confidence < SNIFF_THRESHOLD)
    return {
      kind: 'unknown',
      gzip,
      reason: head.length === 0 ? 'empty file' : 'no text format recognised the content',
    };
  return {
    kind: 'text',
    format: best.format,
    confidence: best.confidence,
    gzip,
    ...(utf16 ? { utf16: true } : {}),
  };
}

/**
 * `kubectl get` tables: an upper-case header whose column starts fix where each
 * cell begins (kubectl pads every column to its widest value), so cells with
 * spaces (`AGE` = `5d (x3 over 6d)`, `STATUS` messages) are sliced, not split.
 */

/** A parsed header. */
export interface Table {
  names: string[];
  starts: number[];
}

const WORD = /^[A-Z][A-Z0-9()_./-]*$/;

/** Parse a header line; null when the line is not a table header. */
export function parseHeader(line: string): Table | null {
  if (line.length > 1000 || line.charCodeAt(0) === 0x20 || !/ {2}/.test(line)) return null;
  for (const w of line.trim().split(/\s+/)) if (!WORD.test(w)) return null;
  const names: string[] = [];
  const starts: number[] = [];
  const re = /\S+(?: \S+)*/g; // single spaces stay inside a column name ("LAST SEEN")
  for (let m = re.exec(line); m; m = re.exec(line)) {
    names.push(m[0]);
    starts.push(m.index);
  }
  return names.length >= 2 ? { names, starts } : null;
}

/** Cells of one row keyed by column name. */
export function rowCells(t: Table, row: string): Record<string, string> {
  const out: Record<string, string> = {};
  const n = t.names.length;
  // Rows narrower than the header (rare: a shifted row) fall back to whitespace splitting.
  if (row.length < t.starts[n - 1]) {
    const parts = row.trim().split(/\s+/);
    t.names.forEach((name, i) => {
      out[name] = parts[i] ?? '';
    });
    return out;
  }
  for (let i = 0; i < n; i++) {
    const end = i + 1 < n ? t.starts[i + 1] : row.length;
    out[t.names[i]] = row.slice(t.starts[i], end).trim();
  }
  return out;
}

/** `<none>`, `<unknown>`, `` → undefined. */
export function cell(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '<none>' || v === '<unknown>' ? undefined : v;
}

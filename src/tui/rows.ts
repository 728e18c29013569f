/**
 * The row model every view produces: a view is a pure function of the
 * Analysis (+ view state) returning a `RowSource`, and one generic list
 * component renders only the visible window of it. Rows are built on demand,
 * so a source over 1,000,000 timeline entries costs nothing until displayed.
 */
import type { Colour } from './palette.js';

/** A styled run of text inside a row (already neutralised and clipped). */
export interface Seg {
  t: string;
  c?: Colour;
  b?: boolean;
  dim?: boolean;
  /** Part of a search match (set by the renderer). */
  hl?: boolean;
}

/** Where `t` (or Enter on evidence) lands on the timeline. */
export interface Jump {
  ts?: string;
  ref?: string;
}

/** One display row and what it leads to. */
export interface Row {
  segs: Seg[];
  /** Enter toggles this expansion key. */
  toggle?: string;
  /** Enter opens this flow. */
  flow?: string;
  /** `t` (and Enter when nothing else) jumps here on the timeline. */
  jump?: Jump;
  /** Timeline entry index (sorted order) this row shows. */
  entry?: number;
}

/** A view's rows: fixed header lines above a virtual list. */
export interface RowSource {
  /** Lines drawn above the list (column headings, summaries); not selectable. */
  header: Seg[][];
  count: number;
  row(i: number): Row;
  /** Plain text of row i, for search. */
  text(i: number): string;
  /** Whether row i matches a search (faster than testing `text(i)` when given). */
  matches?(i: number, re: RegExp): boolean;
  /** Whether row i is an error (for `e`/`E`). */
  isError(i: number): boolean;
}

/** A RowSource over a fixed array of rows. */
export function arraySource(
  header: Seg[][],
  rows: Row[],
  errors?: (r: Row, i: number) => boolean,
): RowSource {
  const texts: string[] = [];
  return {
    header,
    count: rows.length,
    row: (i) => rows[i],
    text: (i) => {
      if (texts[i] === undefined) texts[i] = rows[i].segs.map((s) => s.t).join('');
      return texts[i];
    },
    isError: (i) => (errors ? errors(rows[i], i) : false),
  };
}

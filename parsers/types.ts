/**
 * Contracts shared by every parser (DESIGN: Contracts / Parser).
 *
 * A parser never throws on bad input: it reports an issue (file, line or byte
 * offset, code, message) and continues. Every line or packet is accounted for:
 * parsed, skipped as irrelevant, or an issue.
 */
import type { AnyRecord, IssueRecord } from '../src/model/records/index.js';

/** Per-file counts that make up coverage. */
export interface Counts {
  /** Lines (text) or packets (captures) that produced or contributed to records. */
  parsed: number;
  /** Lines or packets understood and deliberately ignored (blank lines, headers, banners). */
  skipped: number;
  /** Lines, packets or byte ranges that could not be understood. */
  issues: number;
}

/** Options that influence how a source is read. */
export interface ParseContext {
  /** Path shown to the user (relative to the bundle root when in a bundle). */
  file: string;
  /** IANA zone for naive timestamps. Default `UTC`. */
  tz: string;
  /** Year for timestamps that lack one (syslog); default: the file's mtime year. */
  year?: number;
}

/** Where a text parser puts what it finds. */
export interface TextSink {
  record(r: AnyRecord): void;
  issue(line: number, code: string, message: string): void;
}

/** What a text parser says about each line it was given. */
export type LineStatus = 'parsed' | 'skipped' | 'issue';

/** A running parse of one text file: fed line by line, then ended. */
export interface LineParser {
  /**
   * Handle one line (without its newline; `lineNo` is 1-based). `clean` is true when the
   * reader saw only printable ASCII and TAB, no backslash: nothing in it needs neutralising.
   */
  line(text: string, lineNo: number, out: TextSink, clean?: boolean): LineStatus;
  /**
   * Called after the last line. Buffered formats (JSON/YAML documents) parse here
   * and may return corrected counts for the lines they had provisionally marked.
   */
  end?(out: TextSink): Partial<Counts> | undefined;
}

/** A sample embedded in a format definition: input lines and what must come out. */
export interface FormatSample {
  /** One or more input lines joined with `\n`. */
  input: string;
  /** Records expected, compared as subsets (only the listed fields are checked), in order. */
  records: Array<Record<string, unknown>>;
  /** Expected number of issue records (default 0). */
  issues?: number;
  /** A short description of the variant this sample covers. */
  note?: string;
}

/** A text format: one unit per file under parsers/text/, registered in parsers/text/registry.ts. */
export interface TextFormat {
  /** Stable id, also the file name (`ip-route`, `traefik`, …). */
  id: string;
  /** One line for `forensic formats` and coverage. */
  title: string;
  /**
   * How confident this format is that the file is one of its own, 0..1, judged from
   * content (`lines`: the first lines of the file, control characters intact) and, weakly, the name.
   */
  sniff(lines: readonly string[], name: string): number;
  /** Start parsing one file. */
  create(ctx: ParseContext): LineParser;
  /** Longest line kept whole, in bytes (default 1 MiB); document formats (compact JSON) raise it. */
  maxLineBytes?: number;
  /**
   * True when what the parser makes of `line`, and its state after it, do not depend on
   * the lines before: a big file may be cut before such a line and its parts parsed in
   * parallel (src/bundle/split.ts; records then refer to lines only by `line`, which the
   * join renumbers). Formats without it are always parsed whole.
   */
  syncPoint?(line: string, ctx: ParseContext): boolean;
  /** Samples run by test/parsers/text/samples.test.ts. Every format has some. */
  samples: readonly FormatSample[];
}

export type { AnyRecord, IssueRecord };

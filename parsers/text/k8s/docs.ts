/**
 * Buffered Kubernetes documents: YAML streams (`---`-separated) and JSON objects
 * (`kubectl get -o json`, concatenated or one per file). Lines are collected
 * one document at a time (bounded). JSON is parsed with JSON.parse (item lines
 * come from the brace scan that finds the document's end); YAML with the `yaml`
 * package. Each object (or `List` item) is turned into records with the line it
 * starts on.
 * Line accounting is settled per document: lines of recognised objects are
 * parsed, the rest skipped, a document that does not parse is all issues.
 */
import type { Node } from 'yaml';
import type { AnyRecord } from '../../../src/model/records/index.js';
import { displayText } from '../../../src/util/sanitize.js';
import { yaml } from '../../../src/util/yaml.js';
import type { Counts, LineStatus, TextSink } from '../../types.js';

/** A document longer than this (characters) is reported, not parsed. */
export const MAX_DOC_CHARS = 16 << 20;
/** A YAML document with a line longer than this is reported, not parsed (the YAML parser is slow on long flow lines). */
export const MAX_YAML_LINE = 256 << 10;

/** One buffered document. */
export interface BufferedDoc {
  firstLine: number;
  lines: number;
  text: string;
  /** Why the document is not parsed: too large, or a YAML line too long. */
  overflow: false | 'size' | 'line';
  json: boolean;
  /** JSON only: [first, last] line of each object directly inside a top-level array (List items). */
  items: Array<[number, number]>;
}

/** Collects lines into documents; JSON documents end when their braces balance. */
export class DocCollector {
  private parts: string[] = [];
  private size = 0;
  private first = 0;
  private count = 0;
  private json = false;
  private depth = 0;
  private inStr = false;
  private esc = false;
  private overflow: BufferedDoc['overflow'] = false;
  /** JSON container stack ('{' / '['), and the start line of the item being read. */
  private stack: number[] = [];
  private items: Array<[number, number]> = [];
  private itemStart = 0;
  private lineNo = 0;

  /** `maxChars` bounds one document's buffer (default MAX_DOC_CHARS). */
  constructor(private readonly maxChars = MAX_DOC_CHARS) {}

  /** True when no document is open. */
  get idle(): boolean {
    return this.count === 0;
  }

  /**
   * Add a line. Returns the document it completed (a JSON document closing on
   * this line, or the YAML document a `---` line ends), else null. Blank lines
   * between documents are not collected (`false` from `collected`).
   */
  push(text: string, lineNo: number): { done: BufferedDoc | null; collected: boolean } {
    if (this.count === 0) {
      const t = text.trim();
      if (t === '' || t === '---' || t === '...') return { done: null, collected: false };
      this.start(lineNo, t[0] === '{' || t[0] === '[');
    } else if (!this.json && /^(?:---|\.\.\.)(?:\s|$)/.test(text)) {
      const done = this.take();
      if (text.startsWith('...')) return { done, collected: false };
      this.start(lineNo, false);
      this.add(text);
      return { done, collected: true };
    }
    this.add(text);
    if (this.json) {
      this.lineNo = lineNo;
      this.scan(text);
      if (this.depth <= 0) return { done: this.take(), collected: true };
    }
    return { done: null, collected: true };
  }

  /** The open document, if any (at end of input). */
  flush(): BufferedDoc | null {
    return this.count ? this.take() : null;
  }

  private start(lineNo: number, json: boolean): void {
    this.first = lineNo;
    this.json = json;
    this.depth = 0;
    this.inStr = false;
    this.esc = false;
    this.stack = [];
    this.items = [];
  }

  private add(text: string): void {
    this.count++;
    if (this.overflow) return;
    this.size += text.length + 1;
    if (this.size > this.maxChars || (!this.json && text.length > MAX_YAML_LINE)) {
      this.overflow = this.size > this.maxChars ? 'size' : 'line';
      this.parts = [];
      return;
    }
    this.parts.push(text);
  }

  /** Track JSON nesting outside strings, noting where top-level array items start and end. */
  private scan(text: string): void {
    const st = this.stack;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inStr) {
        if (this.esc) this.esc = false;
        else if (c === 0x5c) this.esc = true;
        else if (c === 0x22) this.inStr = false;
      } else if (c === 0x22) this.inStr = true;
      else if (c === 0x7b || c === 0x5b) {
        // An object whose parent is the root array, or an array directly in the root object (List.items).
        if (
          c === 0x7b &&
          st[st.length - 1] === 0x5b &&
          (st.length === 1 || (st.length === 2 && st[0] === 0x7b))
        )
          this.itemStart = this.lineNo;
        st.push(c);
        this.depth++;
      } else if (c === 0x7d || c === 0x5d) {
        st.pop();
        this.depth--;
        if (c === 0x7d && this.itemStart && st[st.length - 1] === 0x5b && st.length <= 2) {
          this.items.push([this.itemStart, this.lineNo]);
          this.itemStart = 0;
        }
      }
    }
  }

  private take(): BufferedDoc {
    const d: BufferedDoc = {
      firstLine: this.first,
      lines: this.count,
      text: this.parts.join('\n'),
      overflow: this.overflow,
      json: this.json,
      items: this.items,
    };
    this.parts = [];
    this.size = 0;
    this.count = 0;
    this.overflow = false;
    return d;
  }
}

/** Turns one Kubernetes object into records; null when the kind is not one we read. */
export type ObjectReader = (obj: Record<string, unknown>, line: number) => AnyRecord[] | null;

/** Parse one document and emit the records of its objects. Returns the line counts of the document. */
export function emitDoc(doc: BufferedDoc, read: ObjectReader, out: TextSink): Counts {
  if (doc.overflow) {
    const why =
      doc.overflow === 'size' ? 'document too large' : `YAML line longer than ${MAX_YAML_LINE} characters`;
    out.issue(doc.firstLine, 'doc-too-large', `${why}; document not parsed`);
    return { parsed: 0, skipped: 0, issues: doc.lines };
  }
  const covered: Array<[number, number]> = []; // line ranges of recognised objects
  const emit = (o: unknown, start: number, end: number) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return;
    const recs = read(o as Record<string, unknown>, start);
    if (!recs) return;
    for (const r of recs) out.record(r);
    covered.push([start, end]);
  };
  const last = doc.firstLine + doc.lines - 1;
  if (doc.json) {
    let js: unknown;
    try {
      js = JSON.parse(doc.text);
    } catch (err) {
      out.issue(
        doc.firstLine,
        'doc-syntax',
        displayText(`cannot parse JSON document: ${(err as Error).message}`),
      );
      return { parsed: 0, skipped: 0, issues: doc.lines };
    }
    const o = js as Record<string, unknown>;
    const list = Array.isArray(js)
      ? js
      : o && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)
        ? o.items
        : null;
    if (!list) emit(js, doc.firstLine, last);
    else {
      // Item lines come from the scan; if it saw a different number of items, fall back to the document's line.
      const exact = doc.items.length === list.length;
      for (let i = 0; i < list.length; i++)
        emit(list[i], exact ? doc.items[i][0] : doc.firstLine, exact ? doc.items[i][1] : doc.firstLine);
    }
  } else {
    const { isMap, isSeq, LineCounter, parseDocument } = yaml();
    const lc = new LineCounter();
    const parsed = parseDocument(doc.text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
    if (parsed.errors.length) {
      const e = parsed.errors[0];
      const line = doc.firstLine + (e.pos ? lc.linePos(e.pos[0]).line - 1 : 0);
      out.issue(line, 'doc-syntax', displayText(`cannot parse YAML document: ${e.message.split('\n')[0]}`));
      return { parsed: 0, skipped: 0, issues: doc.lines };
    }
    let js: unknown;
    try {
      js = parsed.toJS({ maxAliasCount: 100 });
    } catch (err) {
      out.issue(doc.firstLine, 'doc-content', displayText(`cannot read document: ${(err as Error).message}`));
      return { parsed: 0, skipped: 0, issues: doc.lines };
    }
    const lineOf = (off: number) => doc.firstLine + Math.max(0, lc.linePos(off).line - 1);
    const visit = (v: unknown, node: Node | null | undefined) => {
      if (!v || typeof v !== 'object' || Array.isArray(v) || !node?.range) return;
      const o = v as Record<string, unknown>;
      const items = o.items;
      if (Array.isArray(items) && typeof o.kind === 'string' && o.kind.endsWith('List')) {
        const seq = isMap(node) ? node.get('items', true) : null;
        if (isSeq(seq)) for (let i = 0; i < items.length; i++) visit(items[i], seq.items[i] as Node);
        return;
      }
      emit(o, lineOf(node.range[0]), lineOf(Math.max(node.range[0], node.range[1] - 1)));
    };
    const root = parsed.contents as Node | null;
    if (Array.isArray(js) && isSeq(root))
      for (let i = 0; i < js.length; i++) visit(js[i], root.items[i] as Node);
    else visit(js, root);
  }
  const n = Math.min(countLines(covered), doc.lines);
  return { parsed: n, skipped: doc.lines - n, issues: 0 };
}

/** Number of distinct lines in a set of [first, last] ranges. */
function countLines(ranges: Array<[number, number]>): number {
  ranges.sort((a, b) => a[0] - b[0]);
  let n = 0;
  let upTo = Number.NEGATIVE_INFINITY;
  for (const [a, b] of ranges) {
    const from = Math.max(a, upTo + 1);
    if (b >= from) n += b - from + 1;
    upTo = Math.max(upTo, b);
  }
  return n;
}

/**
 * Keeps a parser's line counts honest when document lines are first reported as
 * provisionally parsed and settled later by `emitDoc`.
 */
export class Tally {
  private readonly c: Counts = { parsed: 0, skipped: 0, issues: 0 };
  private seen = 0;

  /** Note that a line was handed to the parser (call first in `line`). */
  begin(): void {
    this.seen++;
  }

  /** Final counts; a line that never got a status (the parser threw) counts as an issue. */
  get counts(): Counts {
    const missing = this.seen - (this.c.parsed + this.c.skipped + this.c.issues);
    return missing > 0 ? { ...this.c, issues: this.c.issues + missing } : { ...this.c };
  }

  /** Count a final status and return it. */
  mark(s: LineStatus): LineStatus {
    this.c[s === 'parsed' ? 'parsed' : s === 'skipped' ? 'skipped' : 'issues']++;
    return s;
  }

  /** Count a document line whose status is settled later; reported as parsed. */
  pending(): LineStatus {
    this.c.parsed++;
    return 'parsed';
  }

  /** Replace `lines` provisional lines with their settled counts. */
  settle(c: Counts, lines: number): void {
    this.c.parsed += c.parsed - lines;
    this.c.skipped += c.skipped;
    this.c.issues += c.issues;
  }
}

/** A shell prompt running a command (`$ kubectl get svc -o yaml`), as pasted into collected output. */
export const PROMPT_LINE =
  /^(?:\S{0,200}[$#%] |\+ )(?:sudo )?\S{0,100}(?:kubectl|oc|cat|vagrant|k3s|microk8s)\b/;

import { describe, expect, it } from 'vitest';
import { DocCollector, emitDoc, MAX_YAML_LINE, Tally } from '../../../parsers/text/k8s/docs.js';
import type { AnyRecord } from '../../../src/model/records/index.js';

describe('DocCollector', () => {
  it('bounds a document and reports it as too large', () => {
    const c = new DocCollector(100);
    for (let i = 1; i <= 20; i++) c.push(`key${i}: ${'x'.repeat(20)}`, i);
    const d = c.flush()!;
    expect(d).toMatchObject({ firstLine: 1, lines: 20, overflow: 'size', text: '' });
    const issues: string[] = [];
    const counts = emitDoc(d, () => [], { record: () => {}, issue: (_l, code) => issues.push(code) });
    expect(issues).toEqual(['doc-too-large']);
    expect(counts).toEqual({ parsed: 0, skipped: 0, issues: 20 });
  });
  it('reports a YAML document with an overlong line without parsing it', () => {
    const c = new DocCollector();
    c.push('a: 1', 1);
    c.push(`b: [${'x,'.repeat(MAX_YAML_LINE)}]`, 2);
    const d = c.flush()!;
    expect(d.overflow).toBe('line');
    const issues: string[] = [];
    emitDoc(d, () => [], { record: () => {}, issue: (_l, _c, m) => issues.push(m) });
    expect(issues[0]).toMatch(/YAML line longer/);
  });
  it('notes the lines of top-level array items while scanning JSON', () => {
    const c = new DocCollector();
    const lines = [
      '{"kind": "List", "items": [',
      '  {"a": {"b": [{"c": 1}]}},',
      '  {',
      '    "x": "}"',
      '  }',
      '], "metadata": {}}',
    ];
    let done = null;
    for (let i = 0; i < lines.length; i++) done = c.push(lines[i], i + 1).done ?? done;
    expect(done?.items).toEqual([
      [2, 2],
      [3, 5],
    ]);
  });
  it('ends JSON documents when braces balance, ignoring braces in strings', () => {
    const c = new DocCollector();
    expect(c.push('{"a": "}{",', 1).done).toBeNull();
    const r = c.push(' "b": [1, {"c": "\\"}"}]}', 2);
    expect(r.done).toMatchObject({ firstLine: 1, lines: 2 });
    expect(c.idle).toBe(true);
  });
  it('splits YAML at --- and stops at ...', () => {
    const c = new DocCollector();
    c.push('a: 1', 1);
    const r = c.push('--- # next', 2);
    expect(r.done).toMatchObject({ firstLine: 1, lines: 1, text: 'a: 1' });
    c.push('b: 2', 3);
    expect(c.push('...', 4).done).toMatchObject({ firstLine: 2, lines: 2 });
  });
  it('gives each List item its own line', () => {
    const c = new DocCollector();
    const text = ['kind: List', 'items:', '- kind: X', '  n: 1', '- kind: X', '  n: 2'];
    for (let i = 0; i < text.length; i++) c.push(text[i], i + 10);
    const seen: number[] = [];
    emitDoc(
      c.flush()!,
      (_o, line) => {
        seen.push(line);
        return [{ type: 'issue', file: 'f', code: 'x', message: 'x' } as AnyRecord];
      },
      { record: () => {}, issue: () => {} },
    );
    expect(seen).toEqual([12, 14]);
  });
});

describe('Tally', () => {
  it('settles provisional lines and counts a line without status (parser threw) as an issue', () => {
    const t = new Tally();
    for (let i = 0; i < 4; i++) t.begin();
    t.mark('skipped');
    t.pending();
    t.pending();
    t.settle({ parsed: 1, skipped: 1, issues: 0 }, 2);
    expect(t.counts).toEqual({ parsed: 1, skipped: 2, issues: 1 });
  });
});

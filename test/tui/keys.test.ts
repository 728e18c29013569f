import type { Key } from 'ink';
import { describe, expect, test } from 'vitest';
import { parseMouse, toKeyEvents } from '../../src/tui/keys.js';

const NONE = {} as Key;

describe('keys', () => {
  test('SGR mouse wheel reports become wheel events; clicks are ignored; other input is not mouse', () => {
    expect(parseMouse('[<64;10;5M')).toEqual({ kind: 'wheelup' });
    expect(parseMouse('\u001b[<65;1;1M')).toEqual({ kind: 'wheeldown' });
    expect(parseMouse('[<0;3;4M')).toBeNull();
    expect(parseMouse('j')).toBeUndefined();
  });

  test('a chunk of several keys is split; control bytes map to keys; unknown escapes are dropped', () => {
    expect(toKeyEvents('5j\r', NONE)).toEqual([
      { kind: 'char', ch: '5' },
      { kind: 'char', ch: 'j' },
      { kind: 'enter' },
    ]);
    expect(toKeyEvents('', { ...NONE, pageDown: true })).toEqual([{ kind: 'pgdn' }]);
    expect(toKeyEvents('', { ...NONE, tab: true, shift: true })).toEqual([{ kind: 'backtab' }]);
    expect(toKeyEvents('', { ...NONE, delete: true })).toEqual([{ kind: 'back' }]);
    expect(toKeyEvents('[99~', NONE)).toEqual([]);
    expect(toKeyEvents('c', { ...NONE, ctrl: true })).toEqual([{ kind: 'ctrlc' }]);
  });
});

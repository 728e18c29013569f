import { describe, expect, test } from 'vitest';
import type { Analysis } from '../../src/model/analysis.js';
import { runTui } from '../../src/tui/index.js';
import { FakeStdin, FakeStdout, loadFixture } from './helpers.js';

const ALT_ON = '\u001b[?1049h';
const ALT_OFF = '\u001b[?1049l';
const MOUSE_ON = '\u001b[?1000h\u001b[?1006h';
const MOUSE_OFF = '\u001b[?1006l\u001b[?1000l';

/** A TTY-like fake terminal pair. */
function terminal() {
  const out = new FakeStdout(100, 30);
  out.isTTY = true;
  const inp = new FakeStdin();
  const raw: boolean[] = [];
  inp.setRawMode = (m: boolean) => {
    raw.push(m);
  };
  return { out, inp, raw, all: () => out.frames.join('') };
}

async function until(cond: () => boolean, ms = 5000) {
  const t0 = Date.now();
  while (!cond() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
}

describe('runTui', () => {
  test('enters the alternate screen with mouse reporting, resolves on q and restores the terminal', async () => {
    const t = terminal();
    const done = runTui(loadFixture(), {
      stdout: t.out as unknown as NodeJS.WriteStream,
      stdin: t.inp as unknown as NodeJS.ReadStream,
    });
    await until(() => t.all().includes('CHAIN'));
    expect(t.out.frames[0].startsWith(ALT_ON)).toBe(true);
    expect(t.out.frames[0]).toContain(MOUSE_ON);
    expect(t.raw[0]).toBe(true);
    t.inp.write('q');
    await done;
    const all = t.all();
    expect(all.lastIndexOf(MOUSE_OFF)).toBeGreaterThan(all.lastIndexOf('CHAIN'));
    expect(all.endsWith(ALT_OFF)).toBe(true);
    expect(t.raw.at(-1)).toBe(false);
  });

  test('a crash while rendering rejects and still restores the terminal', async () => {
    const t = terminal();
    const a = loadFixture();
    // Passes model construction, throws while the first frame is rendered.
    const broken = { ...a, rootCause: { ...a.rootCause, chain: null } } as unknown as Analysis;
    const run = runTui(broken, {
      stdout: t.out as unknown as NodeJS.WriteStream,
      stdin: t.inp as unknown as NodeJS.ReadStream,
    });
    await expect(run).rejects.toThrow();
    expect(t.all().startsWith(ALT_ON)).toBe(true);
    expect(t.all().endsWith(ALT_OFF)).toBe(true);
    expect(t.raw.at(-1)).toBe(false);
  });
});

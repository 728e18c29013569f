import { describe, expect, test } from 'vitest';
import { startProgress } from '../../src/tui/progress.js';
import { FakeStdout } from './helpers.js';

describe('startProgress', () => {
  test('redraws one line in place on a TTY, throttled, neutralised, then erases it', () => {
    const out = new FakeStdout(100, 24);
    out.isTTY = true;
    let t = 1000;
    const p = startProgress(out as unknown as NodeJS.WriteStream, () => t);
    p.update('parsing node1/capture-any.pcapng', 512 * 1048576, 1024 * 1048576);
    p.update('too soon, dropped');
    t += 150;
    p.update('evil \u001b[2J name');
    p.done();
    expect(out.frames).toEqual([
      '\r\u001b[2Kforensic: parsing node1/capture-any.pcapng  512.0/1024.0 MB  50%',
      '\r\u001b[2Kforensic: evil \\x1b[2J name',
      '\r\u001b[2K',
    ]);
  });

  test('is silent when the stream is not a terminal', () => {
    const out = new FakeStdout(80, 24);
    const p = startProgress(out as unknown as NodeJS.WriteStream, () => 0);
    p.update('parsing');
    p.done();
    expect(out.frames).toEqual([]);
  });
});

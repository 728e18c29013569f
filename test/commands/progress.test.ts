import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/commands/progress.js';

/** A fake terminal stream that records writes. */
function stream(columns = 100) {
  const writes: string[] = [];
  return {
    writes,
    s: {
      columns,
      isTTY: true,
      write: (x: string) => writes.push(x),
    } as unknown as import('node:tty').WriteStream,
  };
}

describe('Progress', () => {
  it('shows files, bytes, throughput and ETA on one redrawn line, at most 10 times a second', () => {
    let t = 0;
    const { writes, s } = stream();
    const p = new Progress(s, () => t);
    t = 2000;
    p.update({ filesDone: 1, filesTotal: 4, bytesDone: 100e6, bytesTotal: 400e6 });
    expect(writes).toHaveLength(1);
    expect(writes[0].startsWith('\r\x1b[2K')).toBe(true);
    expect(writes[0]).toContain('1/4 files');
    expect(writes[0]).toContain('100.0/400.0 MB');
    expect(writes[0]).toContain('50.0 MB/s');
    expect(writes[0]).toContain('ETA 6s');
    t = 2050;
    p.update({ filesDone: 1, filesTotal: 4, bytesDone: 120e6, bytesTotal: 400e6 });
    expect(writes).toHaveLength(1);
    t = 2050;
    p.update({ filesDone: 4, filesTotal: 4, bytesDone: 400e6, bytesTotal: 400e6 });
    expect(writes).toHaveLength(2);
    p.done();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });
  it('shows packets per second once packets are counted', () => {
    let t = 0;
    const { writes, s } = stream(120);
    const p = new Progress(s, () => t);
    t = 500;
    p.update({ filesDone: 0, filesTotal: 2, bytesDone: 10e6, bytesTotal: 40e6 });
    expect(writes[0]).not.toContain('packets/s');
    t = 2000;
    p.update({ filesDone: 0, filesTotal: 2, bytesDone: 20e6, bytesTotal: 40e6, packetsDone: 500_000 });
    expect(writes[1]).toContain('250.0 k packets/s');
    expect(writes[1]).toContain('20.0/40.0 MB');
  });
  it('fits the terminal width', () => {
    const { writes, s } = stream(30);
    const p = new Progress(s, () => 1000);
    p.update({ filesDone: 10, filesTotal: 1000, bytesDone: 1, bytesTotal: 2e12 });
    expect(writes[0].replace('\r\x1b[2K', '').length).toBeLessThanOrEqual(29);
  });
});

/** A one-line progress bar on stderr (files, bytes, throughput, packets/s, ETA); only used on a terminal. */
import type { WriteStream } from 'node:tty';

/** Progress state shown while a bundle is parsed. */
export class Progress {
  private readonly started: number;
  private last = 0;
  /** `now` is injectable for tests. */
  constructor(
    private readonly stream: WriteStream,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Redraw (at most 10 times a second). */
  update(p: {
    filesDone: number;
    filesTotal: number;
    bytesDone: number;
    bytesTotal: number;
    /** Packets read so far (captures). */
    packetsDone?: number;
    current?: string;
  }): void {
    const now = this.now();
    if (now - this.last < 100 && p.filesDone < p.filesTotal) return;
    this.last = now;
    const secs = Math.max(0.001, (now - this.started) / 1000);
    const rate = p.bytesDone / secs;
    const frac = p.bytesTotal ? p.bytesDone / p.bytesTotal : p.filesDone / Math.max(1, p.filesTotal);
    const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const pps = p.packetsDone ? `  ${(p.packetsDone / secs / 1e3).toFixed(1)} k packets/s` : '';
    const line = `${bar} ${p.filesDone}/${p.filesTotal} files  ${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB  ${(rate / 1e6).toFixed(1)} MB/s${pps}  ETA ${eta.toFixed(0)}s`;
    const cols = this.stream.columns ?? 80;
    this.stream.write(`\r\x1b[2K${line.slice(0, cols - 1)}`);
  }

  /** Clear the line. */
  done(): void {
    this.stream.write('\r\x1b[2K');
  }
}

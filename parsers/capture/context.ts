/**
 * State shared by the pcap and pcapng framers during one read: the reused Frame,
 * packet numbering, interfaces, and issue reporting (every issue names its byte offset).
 */
import type { CaptureHandler, CaptureInterface, Frame } from './types.js';

/** Largest record/block accepted; anything larger is an issue, never an allocation. */
export const MAX_RECORD = 256 * 1024 * 1024;

/** The Frame handed to every onFrame call (one instance per read, fields overwritten). */
export class ReusedFrame implements Frame {
  packet = 0;
  sec = 0;
  nsec = 0;
  hasTs = true;
  iface = 0;
  fromSpb = false;
  linktype = 0;
  caplen = 0;
  len = 0;
  buf: Buffer = Buffer.alloc(0);
  offset = 0;
  epbFlags = 0;
  recordOffset = 0;
}

/** Per-read state passed to the framers. */
export class ReadContext {
  readonly frame = new ReusedFrame();
  /** Packet numbers handed out so far (frames + custom blocks). */
  packets = 0;
  customBlocks = 0;
  issues = 0;
  /** Reading stopped because the header was refused. */
  rejected = false;
  readonly interfaces: CaptureInterface[] = [];
  private readonly onceCodes = new Set<string>();

  constructor(
    readonly handler: CaptureHandler,
    readonly file: string,
  ) {}

  /** Report an issue; `message` should say what is wrong and where. */
  issue(code: string, offset: number, message: string): void {
    this.issues++;
    this.handler.onIssue({ type: 'issue', file: this.file, offset, code, message });
  }

  /** Report an issue only the first time its code occurs in this read. */
  issueOnce(code: string, offset: number, message: string): void {
    if (this.onceCodes.has(code)) return;
    this.onceCodes.add(code);
    this.issue(code, offset, `${message} (further occurrences in this file are not reported)`);
  }

  /** Declare an interface (assigns the global id) and tell the handler. */
  addInterface(i: Omit<CaptureInterface, 'id'>): CaptureInterface {
    const full: CaptureInterface = { id: this.interfaces.length, ...i };
    this.interfaces.push(full);
    this.handler.onInterface?.(full);
    return full;
  }
}

/** Round up to a multiple of 4 (works for the full uint32 range). */
export function pad4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

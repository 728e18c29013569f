/**
 * Capture → `packet` records for `forensic parse` (DESIGN: Inspection).
 * Implemented together with the layer decoders and flow tracker.
 */
import type { AnyRecord } from '../../src/model/records/index.js';
import type { ParseContext } from '../types.js';

/** Read a capture and emit one `packet` record per packet plus `issue` records. Returns counts. */
export async function captureRecords(
  _path: string,
  _ctx: ParseContext,
  _onRecord: (r: AnyRecord) => void,
): Promise<{ parsed: number; skipped: number; issues: number; rejected: boolean }> {
  throw new Error('captureRecords: not implemented yet');
}

/** One tcpdump-like line for a packet record (`forensic parse --format text`). */
export function packetLine(_r: AnyRecord): string {
  throw new Error('packetLine: not implemented yet');
}

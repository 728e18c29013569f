/**
 * Flow tracking (DESIGN: Evidence store · flows). Entry points:
 * - `analyzeCapture(path, opts)`: readCapture → decodeFrame → FlowTable for one
 *   file; returns `{ flows, events, arp, echo, issues, summary }`. The hot path
 *   used by the analyzer and by bench/.
 * - `FlowTable`: the per-node conversation table, for callers that feed several
 *   files of one node into one table (`opts.table`), then `finish()` and
 *   `toFlowSummary()` each finished flow.
 */
export {
  type AnalyzeCaptureOptions,
  analyzeCapture,
  type CaptureAnalysis,
  type CaptureAnalysisSummary,
  type FlowEvent,
  InterfaceNamer,
  notable,
  tableEvents,
} from './analyze.js';
export {
  Flow,
  type FlowAlert,
  FlowDir,
  type FlowNote,
  portHeuristicAIsClient,
} from './flow.js';
export { formatIp, formatMac } from './format.js';
export type { LadderStep } from './ladder.js';
export { addrA, addrB, flagsText, flowLadder, flowState, noteDir, toFlowSummary } from './summary.js';
export { type ArpEntry, type EchoEntry, FlowTable, type FlowTableOptions, type TableEvent } from './table.js';

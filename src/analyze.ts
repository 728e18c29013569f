/**
 * The pipeline: bundle → discovery → attribution → parallel parsing → Evidence
 * store → rules → Analysis (findings, root cause, timeline, flows, coverage).
 * Same bundle, same options → identical Analysis, byte for byte.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { rules as ruleList } from '../rules/index.js';
import { archiveKind, extractArchive } from './bundle/archive.js';
import { attributeFile, hostDir, hostPrefixes, mayNameHost, NodeNames } from './bundle/attribute.js';
import { discover, isManifestName, type SourceFile } from './bundle/discover.js';
import type { Manifest, ManifestResult } from './bundle/manifest.js';
import { defaultPoolSize, ParsePool } from './bundle/pool.js';
import { joinTextParts, partCount, splitTextTasks } from './bundle/split.js';
import type { ParseTask, ParseTaskResult } from './bundle/task.js';
import { estimateClockSkew } from './engine/clock.js';
import {
  type ArpObservation,
  type CaptureEvidence,
  makeEvidence,
  type NodeRecord,
  type NodeState,
  type PacketEvent,
  type PayloadComparison,
} from './engine/evidence.js';
import { type FileFlow, mergeFlows, repointEvents } from './engine/merge-flows.js';
import { buildRootCause } from './engine/rootcause.js';
import type { Rule } from './engine/rule.js';
import {
  type CapturePoint,
  compareFlowPayloads,
  comparisonCandidates,
  describeDivergence,
} from './engine/segments.js';
import { buildTimeline } from './engine/timeline.js';
import type { Analysis, FileCoverage, Finding, FlowSummary } from './model/analysis.js';
import type { IssueRecord } from './model/records/index.js';
import { type ExportedFlow, exportEvidence } from './report/evidence-export.js';
import { globMatch } from './util/glob.js';
import { isoShift } from './util/time.js';

/** Read a manifest; its module (zod and the schema) is loaded only for bundles that have one. */
async function loadManifest(path: string, displayName: string): Promise<ManifestResult> {
  return (await import('./bundle/manifest.js')).loadManifest(path, displayName);
}

/** Options of `forensic analyze`. */
export interface AnalyzeOptions {
  /** Zone for naive timestamps (default: manifest, else UTC). */
  tz?: string;
  /** Manifest path overriding the bundle's own. */
  manifest?: string;
  /** Keep only timeline entries and events in [since, until] (ISO). */
  since?: string;
  until?: string;
  /** Restrict findings/timeline to one node. */
  node?: string;
  /** Worker threads (0 = in-process). Default: one per core. */
  workers?: number;
  /** Progress callback: files done and total, bytes done (within files too) and total, packets read. */
  onProgress?: (p: {
    filesDone: number;
    filesTotal: number;
    bytesDone: number;
    bytesTotal: number;
    packetsDone?: number;
    current?: string;
  }) => void;
  /** Rules to run (default: the rule table). */
  rules?: readonly Rule[];
  /** Write the packets of the cited flows as one pcapng per flow into this directory. */
  exportEvidence?: string;
  /** Told what the evidence export wrote. */
  onEvidenceExported?: (flows: ExportedFlow[]) => void;
  /**
   * Told the wall time of each phase as it ends: `discover` (listing, sniffing,
   * attribution), `text`, `captures`, `merge` (evidence store, flow merging, clock
   * skew), `compare` (payload comparison), `rules` (rules, timeline, assembly).
   */
  onPhase?: (phase: string, seconds: number) => void;
}

/** Thrown for a bundle that cannot be analysed at all (exit code 2). */
export class BundleError extends Error {}

const VERSION = 'forensic 0.1.0';

/** Below this many bytes a batch of files is parsed in-process: a worker would cost more than it saves. */
const SMALL_BATCH_BYTES = 16 << 20;

/** Analyse a bundle directory, archive, or single file. */
export async function analyzeBundle(path: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (e) {
    throw new BundleError(`cannot open bundle ${path}: ${(e as Error).message}`);
  }
  // Archives extracted on the way (the bundle's own, and those inside it) are removed at the end.
  const scratch: Array<() => Promise<void>> = [];
  try {
    if (st.isFile() && archiveKind(path)) {
      const ex = await extractArchive(path);
      scratch.push(ex.cleanup);
      const a = await analyzeDir(ex.root, basename(path), opts, null, scratch);
      for (const r of ex.refused)
        a.coverage.files.push({
          path: r.split(':')[0],
          format: null,
          parsed: 0,
          skipped: 0,
          issues: 1,
          status: 'excluded',
          firstIssues: [{ code: 'archive-entry-refused', message: r }],
        });
      return a;
    }
    // Files with nothing else to tell their host by belong to the directory they are in, by its name.
    if (st.isFile())
      return await analyzeDir(
        dirname(path),
        basename(path),
        opts,
        basename(path),
        scratch,
        hostName(dirname(resolve(path))),
      );
    if (!st.isDirectory()) throw new BundleError(`${path} is neither a directory, an archive nor a file`);
    return await analyzeDir(path, path, opts, null, scratch, hostName(resolve(path)));
  } finally {
    for (const c of scratch) await c();
  }
}

/** The name of directory `dir` when it can be a host's (see mayNameHost; not `logs`, a date or a number). */
function hostName(dir: string): string | undefined {
  const n = basename(dir);
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n) && mayNameHost(n) ? n : undefined;
}

async function analyzeDir(
  root: string,
  display: string,
  opts: AnalyzeOptions,
  onlyFile: string | null,
  scratch: Array<() => Promise<void>>,
  rootHost?: string,
): Promise<Analysis> {
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    opts.onPhase?.(name, (now - mark) / 1000);
    mark = now;
  };
  const files = await discover(root, onlyFile ?? undefined, scratch);
  const coverage: FileCoverage[] = [];

  // Manifest: explicit, else the bundle's own.
  let manifest: Manifest | null = null;
  const manifestFile = opts.manifest ?? files.find((f) => isManifestName(f.rel))?.abs;
  const manifestRel = opts.manifest ?? files.find((f) => isManifestName(f.rel))?.rel;
  if (manifestFile && manifestRel) {
    const m = await loadManifest(manifestFile, manifestRel).catch(
      (e) => ({ manifest: null, errors: [`${manifestRel}: ${(e as Error).message}`] }) as const,
    );
    manifest = m.manifest;
    coverage.push({
      path: manifestRel,
      format: 'manifest',
      parsed: m.errors.length ? 0 : 1,
      skipped: 0,
      issues: m.errors.length,
      status: m.errors.length ? 'rejected' : 'parsed',
      firstIssues: m.errors.slice(0, 5).map((message) => ({ code: 'bad-manifest', message })),
    });
  }
  const tz = opts.tz ?? manifest?.timezone ?? 'UTC';

  // Host manifests written by `forensic collect` name the host of their directory.
  const hostManifests = new Map<string, string>();
  for (const f of files) {
    const base = f.rel.split('/').pop() ?? '';
    if (f.rel.includes('/') && isManifestName(base)) {
      const m = await loadManifest(f.abs, f.rel).catch(() => null);
      const host = m?.manifest?.hostname;
      if (host) hostManifests.set(f.rel.slice(0, f.rel.lastIndexOf('/')), host);
      coverage.push({
        path: f.rel,
        format: 'manifest',
        parsed: m?.manifest ? 1 : 0,
        skipped: 0,
        issues: m?.manifest ? 0 : 1,
        status: m?.manifest ? 'parsed' : 'rejected',
        firstIssues: m?.errors.slice(0, 5).map((message) => ({ code: 'bad-manifest', message })),
      });
    }
  }
  const names = new NodeNames(manifest);
  for (const h of hostManifests.values()) names.add(h, h);
  const dirs = new Set(files.map((f) => hostDir(f.rel)).filter((d): d is string => !!d));
  for (const d of dirs) names.add(d, d);
  // A flat bundle names the host in front of each file name.
  const prefixes = hostPrefixes(files.filter((f) => !hostDir(f.rel)).map((f) => basename(f.rel)));
  for (const p of prefixes) names.add(p, p);
  const defaultNode =
    dirs.size === 0 && prefixes.length === 0
      ? (manifest?.hostname ?? Object.keys(manifest?.nodes ?? {})[0] ?? rootHost ?? 'node')
      : undefined;

  // Classify and attribute.
  const analysed: Array<{ file: SourceFile; node?: string; iface?: string; task: ParseTask }> = [];
  for (const f of files) {
    const base = f.rel.split('/').pop() ?? '';
    if (isManifestName(base)) continue;
    if (manifest?.exclude?.some((p) => globMatch(p, f.rel))) {
      coverage.push({ path: f.rel, format: null, parsed: 0, skipped: 0, issues: 0, status: 'excluded' });
      continue;
    }
    const att = attributeFile(f.rel, manifest, names, hostManifests, defaultNode);
    if (f.problem) {
      coverage.push({
        path: f.rel,
        format: null,
        node: att.node,
        parsed: 0,
        skipped: 0,
        issues: 1,
        status: f.problem.status === 'refused' ? 'rejected' : 'unreadable',
        firstIssues: [{ code: f.problem.status, message: f.problem.message }],
      });
      continue;
    }
    if (f.archive) {
      // Its files are in the bundle under their own paths.
      const { kind, files: n, refused } = f.archive;
      coverage.push({
        path: f.rel,
        format: kind,
        node: att.node,
        parsed: n,
        skipped: 0,
        issues: refused.length,
        status: 'parsed',
        ...(refused.length
          ? {
              firstIssues: refused.slice(0, 5).map((message) => ({ code: 'archive-entry-refused', message })),
            }
          : {}),
      });
      continue;
    }
    const s = f.sniffed;
    const forced = manifest?.files?.[f.rel]?.format;
    if (!s || (s.kind === 'unknown' && !forced)) {
      coverage.push({
        path: f.rel,
        format: null,
        node: att.node,
        parsed: 0,
        skipped: 0,
        issues: 1,
        status: 'unrecognised',
        firstIssues: [
          { offset: 0, code: 'unrecognised', message: s?.kind === 'unknown' ? s.reason : 'not classified' },
        ],
      });
      continue;
    }
    const fileTz =
      manifest?.files?.[f.rel]?.timezone ??
      (att.node ? manifest?.nodes?.[att.node]?.timezone : undefined) ??
      tz;
    const kind = forced
      ? forced === 'pcap' || forced === 'pcapng'
        ? 'capture'
        : 'text'
      : s.kind === 'capture'
        ? 'capture'
        : 'text';
    const format = forced ?? (s.kind === 'text' ? s.format.id : undefined);
    analysed.push({
      file: f,
      node: att.node,
      iface: att.iface,
      task: {
        kind,
        abs: f.abs,
        rel: f.rel,
        format,
        tz: fileTz,
        node: att.node,
        iface: att.iface,
        bytes: f.size,
        ...(s.gzip ? { gzip: true } : {}),
        ...(s.kind === 'text' && s.utf16 ? { utf16: true } : {}),
      },
    });
  }

  // Text first (fast, and their ip addr/link dumps name SLL2 interface indexes), then captures.
  // --node: a node of this bundle, by its name or an alias; anything else is a usage error.
  const onlyNode = opts.node ? (names.resolve(opts.node) ?? opts.node) : undefined;
  const nodesFound = new Set(analysed.flatMap((a) => (a.node ? [a.node] : [])));
  if (onlyNode && !nodesFound.has(onlyNode))
    throw new BundleError(
      `--node ${opts.node}: no such node in the bundle (nodes: ${[...nodesFound].sort().join(', ') || 'none'})`,
    );

  const textTasks = analysed.filter((a) => a.task.kind === 'text');
  const capTasks = analysed.filter((a) => a.task.kind === 'capture');
  const bytesTotal = analysed.reduce((s, a) => s + a.file.size, 0);
  // Progress: finished tasks (a file, or a part of a big log) plus what running ones have read.
  const done = { files: 0, bytes: 0, packets: 0 };
  const running = new Map<string, [bytes: number, packets: number]>();
  const report = (current: string) => {
    let bytes = done.bytes;
    let packets = done.packets;
    for (const [b, p] of running.values()) {
      bytes += b;
      packets += p;
    }
    opts.onProgress?.({
      filesDone: done.files,
      filesTotal: analysed.length,
      bytesDone: Math.min(bytes, bytesTotal),
      bytesTotal,
      packetsDone: packets,
      current,
    });
  };
  /** A task of `bytes` (a part's share for a part) is running and has read `read` of them. */
  const moving = (key: string, rel: string, bytes: number, read: number, packets: number) => {
    running.set(key, [Math.min(read, bytes), packets]);
    report(rel);
  };
  /** A task finished; `fileDone` when it was its file's last. */
  const finished = (key: string, rel: string, bytes: number, packets: number, fileDone: boolean) => {
    running.delete(key);
    done.bytes += bytes;
    done.packets += packets;
    if (fileDone) done.files++;
    report(rel);
  };
  // One pool for both batches, started now so its workers load while the text files are read.
  // Starting a worker costs ~0.1-0.3 s: small batches run in-process. Small text batches do so
  // even with --workers (they are done before a worker has loaded); small capture batches use
  // the pool when --workers is given.
  const textPooled = textTasks.reduce((n, a) => n + a.file.size, 0) >= SMALL_BATCH_BYTES;
  const capPooled =
    opts.workers !== undefined || capTasks.reduce((n, a) => n + a.file.size, 0) >= SMALL_BATCH_BYTES;
  // No more workers than the largest batch that uses them can keep busy (a big log is cut
  // into parts parsed side by side).
  const wanted = opts.workers ?? defaultPoolSize();
  const busy = Math.max(
    textPooled ? textTasks.reduce((n, a) => n + partCount(a.task, wanted), 0) : 0,
    capPooled ? capTasks.length : 0,
  );
  const pool = new ParsePool(Math.min(wanted, busy), { text: textPooled });
  const inProcess = new ParsePool(0);
  phase('discover');
  let textResults: ParseTaskResult[];
  let capResults: ParseTaskResult[];
  try {
    const textPool = textPooled ? pool : inProcess;
    const textTaskList = textTasks.map((a) => a.task);
    const split = splitTextTasks(textTaskList, textPool.size);
    const partsLeft = textTasks.map((_, i) => split.owner.filter((o) => o === i).length);
    const relOf = (j: number) => textTasks[split.owner[j]].file.rel;
    const partResults = await textPool.run(
      split.parts,
      (j) => finished(`t${j}`, relOf(j), split.parts[j].bytes ?? 0, 0, --partsLeft[split.owner[j]] === 0),
      (j, read) => moving(`t${j}`, relOf(j), split.parts[j].bytes ?? 0, read, 0),
    );
    textResults = joinTextParts(textTaskList, split.owner, partResults);
    const ifindexByNode = new Map<string, Record<string, string>>();
    for (let i = 0; i < textResults.length; i++) {
      const node = textTasks[i].node ?? '';
      for (const r of textResults[i].records) {
        const rec = r as { type: string; ifindex?: number; ifname?: string };
        if ((rec.type === 'link' || rec.type === 'address') && rec.ifindex !== undefined && rec.ifname) {
          const m = ifindexByNode.get(node) ?? {};
          m[String(rec.ifindex)] = rec.ifname;
          ifindexByNode.set(node, m);
        }
      }
    }
    for (const a of capTasks) {
      const fromManifest = a.node ? manifest?.nodes?.[a.node]?.interfaces : undefined;
      a.task.ifindexNames = { ...(ifindexByNode.get(a.node ?? '') ?? {}), ...(fromManifest ?? {}) };
    }
    phase('text');
    capResults = await (capPooled ? pool : inProcess).run(
      capTasks.map((a) => a.task),
      (i, r) => finished(`c${i}`, capTasks[i].file.rel, capTasks[i].file.size, r.capture?.packets ?? 0, true),
      (i, read, packets) => moving(`c${i}`, capTasks[i].file.rel, capTasks[i].file.size, read, packets),
    );
  } finally {
    await pool.close();
  }

  phase('captures');

  // Evidence store.
  const records: NodeRecord[] = [];
  const fileFlows: FileFlow[] = [];
  const rawEvents: PacketEvent[] = [];
  const arp: ArpObservation[] = [];
  const captures: CaptureEvidence[] = [];
  const nodeStates = new Map<string, NodeState>();
  const allResults: Array<{ a: (typeof analysed)[number]; r: ParseTaskResult }> = [
    ...textTasks.map((a, i) => ({ a, r: textResults[i] })),
    ...capTasks.map((a, i) => ({ a, r: capResults[i] })),
  ].sort((x, y) => (x.a.file.rel < y.a.file.rel ? -1 : 1));
  for (const { a, r } of allResults) {
    if (a.node) {
      const ns = nodeStates.get(a.node) ?? { name: a.node, role: manifest?.nodes?.[a.node]?.role, files: [] };
      ns.files.push(a.file.rel);
      nodeStates.set(a.node, ns);
    }
    // Stamped in place: the task's records are this analysis's own (a copy each cost ~3 µs).
    for (const rec of r.records) {
      if (a.node) (rec as NodeRecord).node = a.node;
      records.push(rec);
    }
    if (r.capture) {
      const c = r.capture;
      // Capture tasks already stamp their node: copy only when it differs.
      for (const f of c.flows)
        fileFlows.push({ file: a.file.rel, flow: a.node && f.node !== a.node ? { ...f, node: a.node } : f });
      for (const e of c.events) rawEvents.push(a.node && e.node !== a.node ? { ...e, node: a.node } : e);
      for (const o of c.arp) arp.push(a.node && o.node !== a.node ? { ...o, node: a.node } : o);
      captures.push({
        file: a.file.rel,
        node: a.node,
        packets: c.packets,
        interfaces: c.interfaces,
        firstTs: c.firstTs,
        lastTs: c.lastTs,
      });
    }
    coverage.push(fileCoverage(a.file.rel, a.node, r));
  }

  // One conversation captured in several files of a node (one pcap per interface) is one flow.
  const merged = mergeFlows(fileFlows);
  const flows: FlowSummary[] = merged.flows;
  const events = repointEvents(rawEvents, merged.sources);

  // Clock skew between a node's logs and its captures; the manifest value wins.
  const skew = estimateClockSkew(records, flows, manifest);
  for (const s of skew) {
    if (s.offsetSeconds === 0) continue;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as NodeRecord & { ts?: string | null };
      if (r.node === s.node && r.file === s.source && typeof r.ts === 'string') {
        records[i] = { ...r, ts: isoShift(r.ts, s.offsetSeconds) } as NodeRecord;
      }
    }
  }

  coverage.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  // How to re-read each capture (for payload comparison and evidence export), as it was read above.
  const capturePoints: CapturePoint[] = capTasks.map((t) => ({
    file: t.file.rel,
    abs: t.file.abs,
    node: t.node,
    iface: t.iface,
    ifindexNames: t.task.ifindexNames,
  }));
  phase('merge');
  const comparisons = await comparePaths(flows, capturePoints);
  phase('compare');
  const evidence = makeEvidence({
    comparisons,
    bundle: display,
    manifest,
    nodes: nodeStates,
    records,
    flows,
    events,
    arp,
    captures,
    coverage,
  });

  // Rules, in order; each sees the findings before it.
  const findings: Finding[] = [];
  for (const rule of opts.rules ?? ruleList) {
    try {
      findings.push(...rule.evaluate(evidence, findings));
    } catch (e) {
      findings.push({
        id: `rule-error#${rule.meta.id}`,
        rule: rule.meta.id,
        title: `Rule ${rule.meta.id} failed`,
        layer: rule.meta.layer,
        severity: 'info',
        summary: `internal error while evaluating: ${(e as Error).message}`,
        evidence: [],
      });
    }
  }
  let shownFindings = findings;
  if (onlyNode) shownFindings = findings.filter((f) => !f.node || f.node === onlyNode);
  const rootCause = buildRootCause(shownFindings);
  let timeline = buildTimeline(evidence);
  if (onlyNode) timeline = timeline.filter((t) => !t.node || t.node === onlyNode);
  if (opts.since) timeline = timeline.filter((t) => (t.until ?? t.ts) >= (opts.since as string));
  if (opts.until) timeline = timeline.filter((t) => t.ts <= (opts.until as string));

  const tsAll = [...captures.flatMap((c) => [c.firstTs, c.lastTs]), ...timeline.map((t) => t.ts)]
    .filter((t): t is string => !!t)
    .sort();
  const analysis: Analysis = {
    schemaVersion: 1,
    generatedBy: VERSION,
    bundle: {
      path: display,
      nodes: buildNodes(nodeStates, interfaceRecords(evidence.byType, records)),
      files: allResults.map(({ a, r }) => ({
        path: a.file.rel,
        format: r.format,
        node: a.node,
        records: r.counts.parsed,
        issues: r.counts.issues,
      })),
      timeRange: tsAll.length ? { first: tsAll[0], last: tsAll[tsAll.length - 1] } : null,
      ...(manifest?.service ? { service: manifest.service } : {}),
      clockSkew: skew,
    },
    findings: shownFindings,
    rootCause,
    timeline,
    flows: [...flows]
      .sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : x.id.localeCompare(y.id)))
      .filter((f) => !onlyNode || f.node === onlyNode),
    coverage: { files: coverage },
  };
  phase('rules');
  if (opts.exportEvidence) {
    const out = await exportEvidence(
      analysis,
      merged.sources,
      new Map(capturePoints.map((p) => [p.file, p])),
      opts.exportEvidence,
    );
    opts.onEvidenceExported?.(out);
  }
  return analysis;
}

/**
 * Conversations captured at two points of the path (e.g. a client capture and the
 * node's) whose TLS failed or were reset: compare their bytes segment by segment.
 */
async function comparePaths(
  flows: readonly FlowSummary[],
  captures: readonly CapturePoint[],
): Promise<PayloadComparison[]> {
  const suspect = new Set(
    flows.filter((f) => (f.tls?.alerts.length ?? 0) > 0 || (f.resets ?? 0) > 0).map((f) => f.id),
  );
  if (suspect.size === 0) return [];
  const cands = comparisonCandidates(flows, suspect, 32);
  if (cands.length === 0) return [];
  const files = new Set(cands.flatMap((c) => c.files));
  const points = captures.filter((p) => files.has(p.file));
  const results = await compareFlowPayloads(
    points,
    cands.map((c) => c.endpoints),
  );
  return results.map((result, i) => ({
    flowIds: cands[i].flowIds,
    result,
    text: describeDivergence(result),
  }));
}

function fileCoverage(path: string, node: string | undefined, r: ParseTaskResult): FileCoverage {
  const firstIssues = r.issues.slice(0, 5).map((i: IssueRecord) => ({
    ...(i.line !== undefined ? { line: i.line } : {}),
    ...(i.offset !== undefined ? { offset: i.offset } : {}),
    code: i.code,
    message: i.message,
  }));
  const status: FileCoverage['status'] = r.rejected ? 'rejected' : r.counts.issues > 0 ? 'partial' : 'parsed';
  return {
    path,
    format: r.format,
    node,
    parsed: r.counts.parsed,
    skipped: r.counts.skipped,
    issues: r.counts.issues,
    firstIssues,
    status,
    ...(r.dropped ? { notKept: r.dropped } : {}),
    ...(r.notKeptByKind ? { notKeptByKind: r.notKeptByKind } : {}),
  };
}

/** The address and link records, in record order (all records when both kinds occur). */
function interfaceRecords(
  byType: ReadonlyMap<string, readonly NodeRecord[]>,
  records: readonly NodeRecord[],
): readonly NodeRecord[] {
  const address = byType.get('address') ?? [];
  const link = byType.get('link') ?? [];
  return address.length && link.length ? records : address.length ? address : link;
}

function buildNodes(
  states: Map<string, NodeState>,
  records: readonly NodeRecord[],
): Analysis['bundle']['nodes'] {
  type Iface = { name: string; addresses: string[]; mac?: string };
  // One pass over the records, grouping interfaces by node in order of first appearance.
  const byNode = new Map<string, Map<string, Iface>>();
  for (const r of records) {
    if (!r.node || (r.type !== 'address' && r.type !== 'link')) continue;
    const rec = r as { type: string; ifname?: string; ip?: string; prefix?: number; mac?: string };
    if (!rec.ifname) continue;
    let ifaces = byNode.get(r.node);
    if (!ifaces) {
      ifaces = new Map();
      byNode.set(r.node, ifaces);
    }
    const i = ifaces.get(rec.ifname) ?? { name: rec.ifname, addresses: [] };
    if (rec.type === 'address' && rec.ip) {
      const a = `${rec.ip}/${rec.prefix}`;
      if (!i.addresses.includes(a)) i.addresses.push(a);
    }
    if (rec.mac && !i.mac) i.mac = rec.mac;
    ifaces.set(rec.ifname, i);
  }
  return [...states.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => ({
      name: s.name,
      ...(s.role ? { role: s.role } : {}),
      interfaces: [...(byNode.get(s.name)?.values() ?? [])],
    }));
}

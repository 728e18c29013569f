/**
 * Self-contained HTML report: one file, no external requests (inline CSS, SVG and
 * a little script for filters), every string from the bundle escaped. Verdict,
 * chain with evidence, ruled-out hypotheses, remediation, an SVG timeline with a
 * lane per node and layer, ladder diagrams of the key flows showing the
 * interface each packet crossed, findings with filters, coverage.
 *
 * Sample (abridged):
 *   <header class="verdict sev-critical"><h1>Root cause: node1 routes replies … via eth0</h1>
 *   <p>confidence 92 % · <code>ip route replace default via 192.0.2.1 dev eth1</code></p></header>
 */

import { fixOrder } from '../engine/rootcause.js';
import type { Analysis, EvidenceRef, Finding, FlowSummary } from '../model/analysis.js';
import { SEVERITY_RANK } from '../model/levels.js';
import { hostPort } from '../netstate/ip.js';
import { displayText } from '../util/sanitize.js';
import { epochFromIso } from '../util/time.js';
import { fileCountText } from './text.js';

/** Escape text for HTML content and attribute values. */
export function esc(s: unknown): string {
  return displayText(String(s ?? '')).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SEV_COLOR: Record<string, string> = {
  critical: '#b3261e',
  high: '#d9480f',
  medium: '#c77c02',
  low: '#2f6fb3',
  info: '#6b7280',
};
const LAYER_COLOR: Record<string, string> = {
  L2: '#7c3aed',
  L3: '#0f766e',
  L4: '#2563eb',
  L7: '#be185d',
  config: '#4b5563',
};

function where(e: EvidenceRef): string {
  return `${e.file}${e.line !== undefined ? `:${e.line}` : ''}${e.packet !== undefined ? `#${e.packet}` : ''}${e.interface ? ` [${e.interface}]` : ''}`;
}

function evidenceHtml(list: readonly EvidenceRef[], max = 12): string {
  if (!list.length) return '';
  const items = list
    .slice(0, max)
    .map(
      (e) =>
        `<li><code class="ref">${esc(where(e))}</code> ${e.ts ? `<span class="ts">${esc(e.ts.slice(11, 23))}</span> ` : ''}${esc(e.text)}</li>`,
    )
    .join('');
  const more = list.length > max ? `<li class="more">… ${list.length - max} more (JSON report)</li>` : '';
  return `<ul class="evidence">${items}${more}</ul>`;
}

function findingCard(f: Finding, open: boolean): string {
  const attrs = `data-layer="${esc(f.layer)}" data-sev="${esc(f.severity)}" data-node="${esc(f.node ?? '')}"`;
  return `<details class="finding sev-${esc(f.severity)}" ${attrs}${open ? ' open' : ''}>
<summary><span class="badge" style="background:${SEV_COLOR[f.severity]}">${esc(f.severity)}</span> <span class="layer" style="color:${LAYER_COLOR[f.layer]}">${esc(f.layer)}</span> <b>${esc(f.title)}</b>${f.node ? ` <span class="node">${esc(f.node)}</span>` : ''} <code class="rule">${esc(f.rule)}</code></summary>
<p>${esc(f.summary)}</p>${evidenceHtml(f.evidence)}</details>`;
}

/** Time in seconds (float) of an ISO timestamp. */
function secs(iso: string): number {
  const [s, n] = epochFromIso(iso);
  return s + n / 1e9;
}

/** An axis label: the time of day (ms) within a day's span, else the date and minute. */
export function tickLabel(s: number, span: number): string {
  const d = new Date(s * 1000);
  if (Number.isNaN(d.getTime())) return `@${Math.round(s)}`;
  const iso = d.toISOString();
  return span < 86_400 ? iso.slice(11, 23) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** SVG timeline: one lane per node × layer, events as marks sized by count. */
export function timelineSvg(a: Analysis, width = 1100): string {
  const entries = a.timeline.filter((t) => !Number.isNaN(secs(t.ts)));
  if (!entries.length) return '<p class="empty">No timestamped events.</p>';
  const lanes = [...new Set(entries.map((t) => `${t.node ?? '—'} · ${t.layer}`))].sort();
  const t0 = Math.min(...entries.map((t) => secs(t.ts)));
  const t1 = Math.max(...entries.map((t) => secs(t.until ?? t.ts)));
  const span = Math.max(t1 - t0, 1e-3);
  const left = 170;
  const laneH = 26;
  const h = lanes.length * laneH + 40;
  const x = (s: number) => left + ((s - t0) / span) * (width - left - 60);
  const out: string[] = [
    `<svg class="timeline" viewBox="0 0 ${width} ${h}" width="100%" role="img" aria-label="Timeline of ${entries.length} events" xmlns="http://www.w3.org/2000/svg">`,
  ];
  lanes.forEach((l, i) => {
    const y = 20 + i * laneH;
    out.push(
      `<text x="4" y="${y + 16}" class="lane">${esc(l)}</text><line x1="${left}" x2="${width - 20}" y1="${y + 12}" y2="${y + 12}" class="laneline"/>`,
    );
  });
  for (let k = 0; k <= 4; k++) {
    const s = t0 + (span * k) / 4;
    out.push(
      `<text x="${x(s)}" y="${h - 4}" class="tick" text-anchor="middle">${esc(tickLabel(s, span))}</text>`,
    );
  }
  for (const t of entries) {
    const y = 20 + lanes.indexOf(`${t.node ?? '—'} · ${t.layer}`) * laneH + 12;
    const c = SEV_COLOR[t.severity ?? 'info'];
    const r = Math.min(9, 3 + Math.log2(t.count ?? 1));
    const title = `<title>${esc(`${t.ts} ${t.node ?? ''} ${t.count && t.count > 1 ? `${t.count}× ` : ''}${t.text} (${t.ref})`)}</title>`;
    if (t.until && t.until !== t.ts)
      out.push(
        `<line x1="${x(secs(t.ts))}" x2="${x(secs(t.until))}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="4" opacity="0.5">${title}</line>`,
      );
    out.push(
      `<circle cx="${x(secs(t.ts)).toFixed(1)}" cy="${y}" r="${r.toFixed(1)}" fill="${c}" class="ev sev-${esc(t.severity ?? 'info')}">${title}</circle>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

/** SVG ladder of one flow: client on the left, the node's interfaces in the middle, the server on the right. */
export function ladderSvg(f: FlowSummary, width = 760): string {
  const steps = [...(f.ladder ?? [])].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  if (!steps.length) return '';
  const ifaces = [...new Set(steps.map((s) => s.interface ?? '?'))];
  const cols = ['client', ...ifaces.map((i) => `if ${i}`), 'server'];
  const colX = (i: number) => 70 + (i * (width - 140)) / (cols.length - 1);
  const rowH = 22;
  const h = 40 + steps.length * rowH;
  const out = [
    `<svg class="ladder" viewBox="0 0 ${width} ${h}" width="100%" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Ladder diagram of ${esc(f.id)}">`,
  ];
  cols.forEach((c, i) => {
    out.push(
      `<text x="${colX(i)}" y="14" text-anchor="middle" class="col">${esc(c === 'client' ? hostPort(f.client.ip, f.client.port) : c === 'server' ? hostPort(f.server.ip, f.server.port) : c)}</text>`,
    );
    out.push(
      `<line x1="${colX(i)}" x2="${colX(i)}" y1="20" y2="${h - 4}" class="${i === 0 || i === cols.length - 1 ? 'end' : 'ifline'}"/>`,
    );
  });
  steps.forEach((s, k) => {
    const y = 34 + k * rowH;
    const ic = 1 + ifaces.indexOf(s.interface ?? '?');
    const toServer = s.dir === 'toServer';
    const [a, b] = toServer ? [0, cols.length - 1] : [cols.length - 1, 0];
    const color = toServer ? '#2563eb' : '#d9480f';
    out.push(
      `<g><title>${esc(`${s.ts} ${s.summary} via ${s.interface ?? '?'} (${s.ref})`)}</title><line x1="${colX(a)}" x2="${colX(b)}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="1.5" marker-end="url(#arr-${toServer ? 'r' : 'l'})"/><circle cx="${colX(ic)}" cy="${y}" r="4" fill="${color}"/><text x="${(colX(a) + colX(b)) / 2}" y="${y - 4}" text-anchor="middle" class="step">${esc(s.summary.slice(0, 60))}</text></g>`,
    );
  });
  out.push(
    '<defs><marker id="arr-r" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#2563eb"/></marker><marker id="arr-l" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#d9480f"/></marker></defs></svg>',
  );
  return out.join('');
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--card:#f6f8fa;--line:#d1d9e0}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0}
main{max-width:1200px;margin:0 auto;padding:16px 20px}h1{font-size:20px;margin:0 0 6px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.verdict{padding:16px 20px;color:#fff;background:#374151}.verdict.sev-critical{background:#8c1d18}.verdict.sev-high{background:#a33a0b}.verdict.sev-medium{background:#8a5a00}.verdict.none{background:#1f6f43}
.verdict code{background:rgba(255,255,255,.15);color:#fff;padding:2px 6px;border-radius:4px}.verdict p{margin:4px 0}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--card);padding:1px 4px;border-radius:3px;word-break:break-all}
pre{background:#0d1117;color:#e6edf3;padding:10px 12px;border-radius:6px;overflow:auto;font:12.5px ui-monospace,monospace}
ol.chain{padding-left:22px}ol.chain>li{margin-bottom:10px}.badge{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px}
.layer{font-weight:600}.node{color:var(--muted)}.rule{font-size:11.5px}
details.finding{background:var(--card);border:1px solid var(--line);border-left:4px solid #999;border-radius:6px;margin:6px 0;padding:6px 10px}
details.finding.sev-critical{border-left-color:${SEV_COLOR.critical}}details.finding.sev-high{border-left-color:${SEV_COLOR.high}}details.finding.sev-medium{border-left-color:${SEV_COLOR.medium}}details.finding.sev-low{border-left-color:${SEV_COLOR.low}}
summary{cursor:pointer}ul.evidence{margin:4px 0 4px 0;padding-left:18px;font-size:13px}ul.evidence .ts{color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}th{background:var(--card)}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;background:var(--card);padding:8px;border-radius:6px}.filters label{white-space:nowrap}
.hidden{display:none!important}svg text{font:11px system-ui,sans-serif;fill:#374151}svg .lane{font-weight:600}svg .laneline{stroke:#e5e7eb}svg .tick{fill:#6b7280}
svg .ifline{stroke:#9ca3af;stroke-dasharray:3 3}svg .end{stroke:#374151;stroke-width:2}svg .col{font-weight:600}svg .step{font-size:10.5px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(540px,1fr));gap:12px}@media (max-width:820px){.grid{grid-template-columns:1fr}}.flowbox{border:1px solid var(--line);border-radius:6px;padding:8px}
.muted{color:var(--muted)}.scroll{overflow-x:auto}
@media (max-width:820px){main{padding:10px}.verdict{padding:12px}h1{font-size:17px}}
`;

const SCRIPT = `
(function(){
  function apply(){
    var on=function(n){return Array.prototype.map.call(document.querySelectorAll('input[data-f="'+n+'"]:checked'),function(i){return i.value})};
    var L=on('layer'),S=on('sev'),N=on('node'),q=(document.getElementById('q').value||'').toLowerCase();
    document.querySelectorAll('[data-layer]').forEach(function(el){
      var ok=L.indexOf(el.dataset.layer)>=0&&S.indexOf(el.dataset.sev)>=0&&(N.length===0||el.dataset.node===''||N.indexOf(el.dataset.node)>=0)&&(!q||el.textContent.toLowerCase().indexOf(q)>=0);
      el.classList.toggle('hidden',!ok);
    });
  }
  document.querySelectorAll('.filters input').forEach(function(i){i.addEventListener('input',apply)});
})();
`;

/** Render the HTML report. */
export function renderHtml(a: Analysis): string {
  const byId = new Map(a.findings.map((f) => [f.id, f]));
  const rc = a.rootCause;
  const root = rc ? byId.get(rc.finding) : undefined;
  const parts: string[] = [];
  const title = rc ? `Root cause: ${rc.summary}` : 'No root cause found';
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"><title>${esc(`forensic — ${a.bundle.path}`)}</title><style>${CSS}</style></head><body>`,
  );
  parts.push(
    `<header class="verdict ${rc ? `sev-${esc(root?.severity ?? 'high')}` : 'none'}"><h1>${esc(title)}</h1>`,
  );
  if (rc) {
    parts.push(
      `<p>confidence ${Math.round(rc.confidence * 100)} %${root?.node ? ` · node ${esc(root.node)}` : ''} · chain ${rc.chain.map((c) => esc(c.split('#')[0])).join(' → ')}</p>`,
    );
    if (root?.remediation)
      parts.push(`<p>Fix: ${root.remediation.commands.map((c) => `<code>${esc(c)}</code>`).join(' ')}</p>`);
  }
  parts.push(
    `<p class="small">${esc(a.bundle.path)} · ${fileCountText(a)} · ${a.bundle.nodes.length} nodes · ${a.flows.length} conversations · ${esc(a.generatedBy)}</p></header><main>`,
  );

  if (rc) {
    parts.push('<h2>How we got there — symptom to cause</h2><ol class="chain">');
    for (const id of rc.chain) {
      const f = byId.get(id);
      if (f) parts.push(`<li>${findingCard(f, true)}</li>`);
    }
    parts.push('</ol>');
    if (rc.reasons?.length)
      parts.push(
        `<p class="muted">Confidence ${Math.round(rc.confidence * 100)} %: ${rc.reasons.map(esc).join('; ')}.</p>`,
      );
    if (rc.ruledOut?.length) {
      parts.push('<h2>Ruled out</h2><table><tr><th>Hypothesis</th><th>Why not</th></tr>');
      for (const r of rc.ruledOut)
        parts.push(`<tr><td>${esc(r.hypothesis)}</td><td>${esc(r.reason)}</td></tr>`);
      parts.push('</table>');
    }
  }
  const fixes = fixOrder(a.findings, a.rootCause);
  if (fixes.length) {
    parts.push('<h2>Remediation</h2>');
    for (const f of fixes) {
      const r = f.remediation;
      if (!r) continue;
      parts.push(
        `<h3>${esc(f.title)}</h3><p>${esc(r.summary)}</p><pre>${r.commands.map(esc).join('\n')}</pre>`,
      );
      if (r.assumptions?.length)
        parts.push(`<p class="muted">Assumes: ${r.assumptions.map(esc).join('; ')}</p>`);
      for (const alt of r.alternatives ?? [])
        parts.push(
          `<p>Alternative — ${esc(alt.summary)}${alt.assumes ? ` <span class="muted">(assumes ${esc(alt.assumes)})</span>` : ''}</p><pre>${alt.commands.map(esc).join('\n')}</pre>`,
        );
      if (r.persistent)
        parts.push(`<details><summary>Make it permanent</summary><pre>${esc(r.persistent)}</pre></details>`);
    }
  }

  parts.push('<h2>Timeline</h2><div class="scroll">', timelineSvg(a), '</div>');

  const key = new Set<string>();
  for (const id of rc?.chain ?? []) for (const e of byId.get(id)?.evidence ?? []) if (e.flow) key.add(e.flow);
  for (const f of a.flows)
    if (key.size < 6 && (f.asymmetric || f.stall || (f.tls?.alerts.length ?? 0) > 0)) key.add(f.id);
  // Flows captured with interface names first (they show the path), then the rest.
  const named = (f: FlowSummary) => (f.interfaces.toServer.length && f.interfaces.toClient.length ? 0 : 1);
  const keyFlows = a.flows
    .filter((f) => key.has(f.id) && (f.ladder?.length ?? 0) > 0)
    .sort((x, y) => named(x) - named(y) || (x.first < y.first ? -1 : 1))
    .slice(0, 4);
  if (keyFlows.length) {
    parts.push('<h2>Key conversations — which interface each packet crossed</h2><div class="grid">');
    for (const f of keyFlows)
      parts.push(
        `<div class="flowbox"><b>${esc(f.node ?? '')}</b> ${esc(`${hostPort(f.client.ip, f.client.port)} → ${hostPort(f.server.ip, f.server.port)}`)} <span class="muted">${esc(f.state)}; in ${esc(f.interfaces.toServer.join(',') || '?')}, out ${esc(f.interfaces.toClient.join(',') || '?')}</span>${ladderSvg(f)}</div>`,
      );
    parts.push('</div>');
  }

  const layers = [...new Set(a.findings.map((f) => f.layer))].sort();
  const sevs = [...new Set(a.findings.map((f) => f.severity))].sort(
    (x, y) => SEVERITY_RANK[y] - SEVERITY_RANK[x],
  );
  const nodes = [...new Set(a.findings.map((f) => f.node).filter((n): n is string => !!n))].sort();
  parts.push(`<h2>Findings (${a.findings.length})</h2>`);
  if (a.findings.length) {
    const box = (f: string, v: string) =>
      `<label><input type="checkbox" data-f="${f}" value="${esc(v)}" checked> ${esc(v)}</label>`;
    const nodeBox = (v: string) =>
      `<label><input type="checkbox" data-f="node" value="${esc(v)}"> ${esc(v)}</label>`;
    parts.push(
      `<div class="filters"><span>Layer:</span>${layers.map((l) => box('layer', l)).join('')}<span>Severity:</span>${sevs.map((s) => box('sev', s)).join('')}${nodes.length ? `<span>Node:</span>${nodes.map(nodeBox).join('')}` : ''}<label>Search: <input id="q" type="search"></label></div>`,
    );
    const sorted = [...a.findings].sort(
      (x, y) => SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] || x.id.localeCompare(y.id),
    );
    for (const f of sorted) parts.push(findingCard(f, false));
  } else parts.push('<p>No findings.</p>');

  parts.push(
    '<h2>Coverage</h2><div class="scroll"><table><tr><th>File</th><th>Format</th><th>Node</th><th>Status</th><th>Parsed</th><th>Skipped</th><th>Issues</th></tr>',
  );
  for (const c of a.coverage.files) {
    const issues = (c.firstIssues ?? [])
      .map(
        (i) =>
          `<div class="muted">${esc(i.line !== undefined ? `line ${i.line}` : i.offset !== undefined ? `byte ${i.offset}` : '')} ${esc(i.code)}: ${esc(i.message)}</div>`,
      )
      .join('');
    parts.push(
      `<tr><td><code>${esc(c.path)}</code>${issues}</td><td>${esc(c.format ?? '—')}</td><td>${esc(c.node ?? '—')}</td><td>${esc(c.status)}</td><td>${c.parsed}</td><td>${c.skipped}</td><td>${c.issues}${c.notKept ? ` <span class="muted">(${c.notKept} not kept)</span>` : ''}</td></tr>`,
    );
  }
  parts.push('</table></div></main>');
  parts.push(`<script>${SCRIPT}</script></body></html>\n`);
  return parts.join('\n');
}

/**
 * Which rows each view shows for a given state, memoised: a view's RowSource is
 * rebuilt only when an input it depends on changes (identity comparison), so
 * moving the cursor never rebuilds anything.
 */
import type { Filter } from './filter.js';
import type { TuiModel } from './model.js';
import type { Palette } from './palette.js';
import type { RowSource } from './rows.js';
import type { TuiState, ViewId } from './state.js';
import { filesView } from './views/files.js';
import { findingsView } from './views/findings.js';
import { flowDetailView } from './views/flow-detail.js';
import { flowsView } from './views/flows.js';
import { helpView } from './views/help.js';
import { rootCauseView } from './views/root-cause.js';
import { timelineView } from './views/timeline.js';

/** Memoised RowSources for one model and palette. */
export class Sources {
  private memo = new Map<ViewId | 'help', { deps: unknown[]; src: RowSource }>();
  constructor(
    readonly model: TuiModel,
    readonly pal: Palette,
  ) {}

  private cached(id: ViewId | 'help', deps: unknown[], build: () => RowSource): RowSource {
    const hit = this.memo.get(id);
    if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i])) return hit.src;
    const src = build();
    this.memo.set(id, { deps, src });
    return src;
  }

  /** Filtered timeline positions for a filter (memoised in the model). */
  filtered(f: Filter): Int32Array | null {
    return this.model.filtered(f);
  }

  /** The RowSource of a view (help included) in a state. */
  get(s: TuiState, view: ViewId | 'help' = s.mode === 'help' ? 'help' : s.view): RowSource {
    const m = this.model;
    const env = { pal: this.pal, width: s.cols };
    switch (view) {
      case 'help':
        return this.cached(view, [s.cols, s.canReport], () => helpView(env, s.canReport));
      case 'root':
        return this.cached(view, [s.cols, s.expanded.root], () => rootCauseView(m, s.expanded.root, env));
      case 'timeline': {
        const idx = m.filtered(s.filter);
        return this.cached(view, [s.cols, s.expanded.timeline, idx], () =>
          timelineView(m, idx, s.expanded.timeline, env),
        );
      }
      case 'flows':
        return this.cached(view, [s.cols, s.flowSort, s.flowDesc, s.filter], () =>
          flowsView(m, s.flowSort, s.flowDesc, s.filter, env),
        );
      case 'flow':
        return this.cached(view, [s.cols, s.flowId], () => flowDetailView(m, s.flowId, env));
      case 'findings':
        return this.cached(view, [s.cols, s.expanded.findings, s.filter], () =>
          findingsView(m, s.expanded.findings, s.filter, env),
        );
      case 'files':
        return this.cached(view, [s.cols, s.expanded.files], () => filesView(m, s.expanded.files, env));
    }
  }
}

/**
 * The table of file renderers (everything but the TUI). Each reads the Analysis
 * and returns the document as a string; none recomputes anything.
 */
import type { Analysis } from '../model/analysis.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

/** A renderer of the Analysis to a document. */
export interface Renderer {
  id: string;
  /** File extension for `--out` defaults and exports. */
  ext: string;
  render(a: Analysis): string;
}

const renderers: Renderer[] = [
  { id: 'text', ext: 'txt', render: (a) => renderText(a) },
  { id: 'json', ext: 'json', render: renderJson },
  { id: 'md', ext: 'md', render: renderMarkdown },
  { id: 'html', ext: 'html', render: renderHtml },
];

/** Renderers by id. A duplicate id is an error. */
export const reportRenderers: ReadonlyMap<string, Renderer> = (() => {
  const m = new Map<string, Renderer>();
  for (const r of renderers) {
    if (m.has(r.id)) throw new Error(`duplicate renderer ${r.id}`);
    m.set(r.id, r);
  }
  return m;
})();

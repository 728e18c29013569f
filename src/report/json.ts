/**
 * JSON report: the Analysis itself (schemaVersion 1), pretty-printed with a
 * stable key order as built.
 *
 * Sample: { "schemaVersion": 1, "generatedBy": "forensic 0.1.0", "bundle": {…}, "findings": […], … }
 */
import type { Analysis } from '../model/analysis.js';

/** Render the Analysis as JSON. */
export function renderJson(a: Analysis): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}

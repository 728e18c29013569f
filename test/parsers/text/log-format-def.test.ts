/**
 * Log format definitions against their schema (parsers/text/log/format-def.ts):
 * every registered one, and a broken one is told apart.
 */
import { describe, expect, it } from 'vitest';
import { logFormatDefs } from '../../../parsers/text/log/format.js';
import { LogFormatDef } from '../../../parsers/text/log/format-def.js';
import { textFormats } from '../../../parsers/text/registry.js';

describe('log format definitions', () => {
  it('are all registered and all satisfy the schema', () => {
    expect(logFormatDefs.map((d) => d.id).sort()).toEqual(['access-log', 'go-log', 'traefik']);
    for (const d of logFormatDefs) {
      expect(textFormats.get(d.id)?.title).toBe(d.title);
      expect(LogFormatDef.safeParse(d).error?.message).toBeUndefined();
    }
  });
  it('rejects a bad id, weight or an empty signature', () => {
    const d = logFormatDefs[0];
    expect(LogFormatDef.safeParse({ ...d, id: 'Go Log' }).success).toBe(false);
    expect(LogFormatDef.safeParse({ ...d, sniff: { ...d.sniff, weights: { klog: 2 } } }).success).toBe(false);
    expect(LogFormatDef.safeParse({ ...d, sniff: { ...d.sniff, signature: [] } }).success).toBe(false);
  });
});

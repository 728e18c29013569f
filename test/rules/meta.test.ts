/**
 * Rule metadata against its schema (src/engine/rule-meta.ts): every listed rule,
 * and a broken one is told apart.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { RuleMeta } from '../../src/engine/rule-meta.js';

describe('rule metadata', () => {
  it.each(rules.map((r) => [r.meta.id, r] as const))('%s satisfies the schema', (_, r) => {
    expect(RuleMeta.safeParse(r.meta).error?.message).toBeUndefined();
  });
  it('rejects a bad id, layer or an unknown field', () => {
    const good = rules[0].meta;
    expect(RuleMeta.safeParse({ ...good, id: 'Bad Id' }).success).toBe(false);
    expect(RuleMeta.safeParse({ ...good, layer: 'L5' }).success).toBe(false);
    expect(RuleMeta.safeParse({ ...good, extra: 1 }).success).toBe(false);
  });
});

/**
 * The rule table, in evaluation order: L7 → L4 → L3 → L2, then config — the order
 * a good engineer investigates in. A duplicate id is an error.
 */
import { type Rule, ruleTable } from '../src/engine/rule.js';

/** Every rule, in evaluation order. */
export const rules: readonly Rule[] = ruleTable([]);

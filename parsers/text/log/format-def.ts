/**
 * The schema of a log format definition (format.ts). Definitions are code, not
 * input: a test checks every one against this schema, so parsing a bundle does
 * not load zod.
 */
import { z } from 'zod';
import { LINE_KINDS, type LineKind } from './classify.js';
import { DEFAULT_NAME_BONUS } from './format.js';

const Kind = z.enum(LINE_KINDS as [LineKind, ...LineKind[]]);

/** Schema of a log format definition. */
export const LogFormatDef = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  sniff: z.object({
    /** Weight (0..1) of each line kind; kinds not listed weigh 0. */
    weights: z.partialRecord(Kind, z.number().min(0).max(1)),
    /** At least one head line must be of one of these kinds. */
    signature: z.array(Kind).min(1),
    /** Lowercase substrings of the file name that add `nameBonus`. */
    names: z.array(z.string()).default([]),
    nameBonus: z.number().min(0).max(0.2).default(DEFAULT_NAME_BONUS),
  }),
  samples: z
    .array(
      z.object({
        input: z.string(),
        records: z.array(z.record(z.string(), z.unknown())),
        issues: z.number().int().nonnegative().optional(),
        note: z.string().optional(),
      }),
    )
    .min(1),
});
/** A log format definition as written in parsers/text/<id>.ts. */
export type LogFormatDef = z.input<typeof LogFormatDef>;

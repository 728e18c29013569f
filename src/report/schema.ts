/**
 * The JSON Schema of the Analysis (schemaVersion 1), generated from the zod
 * schemas in src/model/analysis.ts. `npm run schema` writes schema/analysis.schema.json,
 * which ships in the package; a test keeps the two in step.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { Analysis } from '../model/analysis.js';

/** The schema as a JSON-able object. */
export function analysisJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://forensic.invalid/schema/analysis-v1.json',
    title: 'forensic Analysis (schemaVersion 1)',
    ...(z.toJSONSchema(Analysis, { target: 'draft-2020-12' }) as Record<string, unknown>),
  };
}

/** The schema file's text. */
export function analysisJsonSchemaText(): string {
  return `${JSON.stringify(analysisJsonSchema(), null, 2)}\n`;
}

if (process.argv[1]?.endsWith('schema.js') && process.argv[2])
  writeFileSync(process.argv[2], analysisJsonSchemaText());

/** JSON report: the shipped JSON Schema matches the zod model, and every sample's Analysis validates against it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { renderJson } from '../../src/report/json.js';
import { analysisJsonSchemaText } from '../../src/report/schema.js';

const ROOT = resolve(import.meta.dirname, '../..');
const shipped = readFileSync(resolve(ROOT, 'schema/analysis.schema.json'), 'utf8');

describe('JSON report', () => {
  it('schema/analysis.schema.json is generated from the zod model (run `npm run schema`)', () => {
    expect(shipped).toBe(analysisJsonSchemaText());
  });
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(shipped));
  it.each(['asymmetric-drop', 'asymmetric-mangle', 'lan-corruption', 'vip-unresolved', 'healthy'])(
    '%s validates against the schema',
    async (s) => {
      const doc = JSON.parse(renderJson(await analyzeBundle(resolve(ROOT, 'samples', s), { workers: 0 })));
      expect(doc.schemaVersion).toBe(1);
      const ok = validate(doc);
      expect(ok ? [] : validate.errors).toEqual([]);
      // The schema is not vacuous: a broken document fails.
      expect(validate({ ...doc, findings: [{ id: 1 }] })).toBe(false);
    },
  );
});

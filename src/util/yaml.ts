/**
 * The `yaml` library, loaded on first use: most analyses read no YAML, and loading
 * it cost every start-up ~33 ms (a third of the time spent evaluating modules).
 * `require` keeps the parsers that use it synchronous.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/** The yaml module. */
export function yaml(): typeof Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
}

/**
 * Builds dist/ once before the tests: end-to-end tests run the real binary
 * (dist/src/cli.js) and the worker pool loads its compiled worker script.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  if (process.env.FORENSIC_SKIP_BUILD) return;
  execFileSync(
    process.execPath,
    [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

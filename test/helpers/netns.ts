/** Whether a test may build network namespaces of its own, for the live tests that need them. */
import { spawnSync } from 'node:child_process';

/**
 * Why a live test in a throwaway namespace cannot run here (not root, no `ip netns`, one of
 * `tools` not on PATH), or null when it can. Logs the reason as `<what> skipped: …`.
 */
export function netnsSkip(what: string, tools: readonly string[] = []): string | null {
  const reason = (() => {
    if (process.getuid?.() !== 0) return 'not root';
    if (spawnSync('ip', ['netns', 'list']).status !== 0) return 'ip netns unavailable';
    for (const t of tools)
      if (spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0) return `${t} not installed`;
    return null;
  })();
  if (reason) console.warn(`${what} skipped: ${reason}`);
  return reason;
}

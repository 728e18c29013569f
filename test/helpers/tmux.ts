/**
 * Test helper: drive a terminal program in a detached tmux session on a private
 * socket, like a person would — start it at a given size, send keys, type text,
 * wait for what should appear on screen. Every awaited pane is saved under
 * test-artifacts/<name>/ so a failed run can be read afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Repository root (sessions start there). */
export const ROOT = resolve(import.meta.dirname, '../..');

/** True when tmux is installed. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Split a pane capture into its lines. */
export const lines = (pane: string): string[] => pane.split('\n');

/** A tmux server of our own, running `command` in its sessions. */
export function tmuxDriver(name: string, command: readonly string[]) {
  const socket = `forensic-${name}-${process.pid}`;
  const artifacts = join(ROOT, 'test-artifacts', name);
  let step = 0;

  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

  /** Start the command (plus args) in a new session; the shell prints EXIT=<code> after it and stays. */
  const start = (session: string, cols: number, rows: number, extra: string[] = [], env = ''): void => {
    const cmd = [...command, ...extra].map((a) => `'${a}'`).join(' ');
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      String(cols),
      '-y',
      String(rows),
      '-c',
      ROOT,
      `env -u CI -u CONTINUOUS_INTEGRATION ${env} ${cmd}; echo "EXIT=$?"; sleep 120`,
    );
  };

  const capture = (session: string, escapes = false): string =>
    tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);

  /** Wait until the pane shows `text` (string or pattern); save the capture as an artifact and return it. */
  const waitFor = async (
    session: string,
    text: string | RegExp,
    what: string,
    ms = 30_000,
  ): Promise<string> => {
    const t0 = Date.now();
    let pane = '';
    for (;;) {
      pane = capture(session);
      if (typeof text === 'string' ? pane.includes(text) : text.test(pane)) break;
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${text} (${what}); pane:\n${pane}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    writeFileSync(join(artifacts, `${String(++step).padStart(2, '0')}-${session}-${what}.txt`), pane);
    return pane;
  };

  const keys = (session: string, ...k: string[]): void => {
    for (const key of k) tmux('send-keys', '-t', session, key);
  };

  /** Type text literally (no key-name lookup). */
  const type = (session: string, text: string): void => {
    tmux('send-keys', '-t', session, '-l', text);
  };

  /** Empty the artifact directory (before the first test). */
  const resetArtifacts = (): void => {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
  };

  /** Stop the server and every session on it. */
  const kill = (): void => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  };

  return { tmux, start, capture, waitFor, keys, type, resetArtifacts, kill };
}

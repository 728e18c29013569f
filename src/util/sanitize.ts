/**
 * Neutralising untrusted text before it reaches a terminal or a report.
 *
 * Bundle content is hostile until proven otherwise: a log line may carry ANSI
 * escapes that would repaint the user's terminal. `displayText` replaces every
 * C0/C1 control character except TAB with a visible escape, so what is kept for
 * display can be printed anywhere.
 */

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Replace control characters with visible `\xNN` escapes (TAB kept). */
export function displayText(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Strip ANSI colour/cursor escape sequences (used before matching log content). */
export function stripAnsi(s: string): string {
  // CSI sequences, OSC sequences terminated by BEL or ST, and lone ESC + one char.
  return s.replace(
    /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g,
    '',
  );
}

/** Truncate a string for display, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

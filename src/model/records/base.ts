/**
 * Fields every parsed record carries: its `type`, the `file` it came from, and
 * where in that file (`line`, 1-based, for text; `packet`, 1-based, for captures).
 * One field vocabulary across sources (DESIGN house style 7): `client.ip`,
 * `client.port`, `server.ip`, `server.port`, `node`, `iface`, `mac`, `gateway`.
 */
import { z } from 'zod';

/** ISO-8601 UTC timestamp with nanoseconds, e.g. 2024-05-01T10:00:00.123456789Z. */
export const IsoTs = z.string().regex(/^[-+]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$|^@/);

/** An endpoint in the shared vocabulary. `ip` is null when the source redacted it. */
export const Endpoint = z.object({
  ip: z.string().nullable(),
  port: z.number().int().min(0).max(65535).optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

/** Location fields: text records have `line`, capture records have `packet`. */
export const base = {
  file: z.string(),
  line: z.number().int().positive().optional(),
  packet: z.number().int().positive().optional(),
  /** Original text (control characters neutralised) for display, when the record came from a line. */
  text: z.string().optional(),
};

/** A problem found while parsing; never thrown, always reported. */
export const IssueRecord = z.object({
  type: z.literal('issue'),
  ...base,
  offset: z.number().int().nonnegative().optional(),
  code: z.string(),
  message: z.string(),
});
export type IssueRecord = z.infer<typeof IssueRecord>;

/** Records from client-side tool output: curl, ping, traceroute (DESIGN: Inspection). */
import { z } from 'zod';
import { base, Endpoint, IsoTs } from './base.js';
import { TlsCause } from './logs.js';

/**
 * `client-error`: a failure a client tool reported (curl exit code, ping without
 * replies, traceroute that never reached its target). `code` is the curl exit
 * code (number) or a short kebab-case reason (`unreachable`, `timeout`, `loss`,
 * `unknown-host`, `not-reached`, …); `cause` classifies TLS failures with the
 * vocabulary of `tls-handshake-error`.
 */
export const ClientErrorRecord = z.object({
  type: z.literal('client-error'),
  ...base,
  ts: IsoTs.nullable().optional(),
  tool: z.string(),
  target: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  cause: TlsCause.optional(),
  text: z.string(),
});
export type ClientErrorRecord = z.infer<typeof ClientErrorRecord>;

/** Round-trip statistics in milliseconds (`mdev` is Linux mdev / BSD stddev). */
export const RttStats = z.object({
  min: z.number(),
  avg: z.number(),
  max: z.number(),
  mdev: z.number().optional(),
});

/**
 * `ping`: summary of one ping invocation (Linux iputils/busybox, BSD/macOS, Windows).
 * `received` counts real echo replies seen in reply lines (Windows counts ICMP
 * errors such as `Destination host unreachable` as "Received"; that figure is kept
 * in `reportedReceived`). `from` is the first router that answered with an ICMP
 * error, `icmpError` its text. `line` is the invocation's first line.
 */
export const PingRecord = z.object({
  type: z.literal('ping'),
  ...base,
  ts: IsoTs.nullable().optional(),
  dialect: z.enum(['linux', 'bsd', 'windows']),
  target: z.string(),
  /** Address the target resolved to, when printed. */
  ip: z.string().optional(),
  transmitted: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  reportedReceived: z.number().int().nonnegative().optional(),
  /** Packet loss in percent computed from `transmitted` and `received`. */
  lossPct: z.number(),
  reportedLossPct: z.number().optional(),
  /** Linux `+N errors`. */
  errors: z.number().int().nonnegative().optional(),
  unreachable: z.number().int().nonnegative(),
  timeouts: z.number().int().nonnegative(),
  from: z.string().optional(),
  icmpError: z.string().optional(),
  rtt: RttStats.nullable(),
  /** False when the statistics block was missing (interrupted or cut output). */
  complete: z.boolean(),
});
export type PingRecord = z.infer<typeof PingRecord>;

/** One TLS alert curl printed (`* TLSv1.3 (IN), TLS alert, bad record mac (532):`). */
export const CurlAlert = z.object({
  dir: z.enum(['in', 'out']),
  version: z.string().optional(),
  desc: z.string(),
});

/**
 * `curl`: summary of one `curl -v` invocation. `server` is the address curl
 * connected to (or last tried); `errors` lists OpenSSL/LibreSSL/schannel error
 * strings; `lastTls` is the last TLS handshake message seen (where a handshake
 * died). `line` is the invocation's first line.
 */
export const CurlRecord = z.object({
  type: z.literal('curl'),
  ...base,
  url: z.string().optional(),
  /** Host name (or address) as given to curl. */
  target: z.string().optional(),
  server: Endpoint.optional(),
  /** Every address:port curl tried, in order. */
  tried: z.array(z.string()),
  connected: z.boolean(),
  tlsVersion: z.string().optional(),
  cipher: z.string().optional(),
  alpn: z.string().optional(),
  lastTls: z.string().optional(),
  alerts: z.array(CurlAlert),
  errors: z.array(z.string()),
  method: z.string().optional(),
  path: z.string().optional(),
  httpStatus: z.number().int().optional(),
  exitCode: z.number().int().optional(),
  error: z.string().optional(),
  cause: TlsCause.optional(),
});
export type CurlRecord = z.infer<typeof CurlRecord>;

/**
 * `trace-hop`: one hop of `traceroute` (Linux, BSD/macOS) or `tracert` (Windows).
 * `ip` is the first responder, `ips` all responders; `timeout` is true when no
 * probe was answered; `annotations` keeps `!H`, `!N`, `!X`, … and Windows notes.
 */
export const TraceHopRecord = z.object({
  type: z.literal('trace-hop'),
  ...base,
  tool: z.string(),
  target: z.string().optional(),
  hop: z.number().int().positive(),
  ip: z.string().optional(),
  ips: z.array(z.string()),
  host: z.string().optional(),
  rttMs: z.array(z.number()),
  timeout: z.boolean(),
  annotations: z.array(z.string()),
});
export type TraceHopRecord = z.infer<typeof TraceHopRecord>;

/** Schemas contributed by this file to the record union. */
export const clientSchemas = [ClientErrorRecord, PingRecord, CurlRecord, TraceHopRecord] as const;

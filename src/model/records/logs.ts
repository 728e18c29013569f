/** Records from proxy and application logs (DESIGN: Inspection). */
import { z } from 'zod';
import { base, Endpoint, IsoTs } from './base.js';

/** Why a TLS handshake failed, classified from the Go error text. */
export const TlsCause = z.enum([
  'bad-record-mac',
  'eof',
  'reset',
  'timeout',
  'unknown-certificate',
  'bad-certificate',
  'not-tls',
  'no-alpn',
  'no-client-cert',
  'other',
]);
export type TlsCause = z.infer<typeof TlsCause>;

/** `http: TLS handshake error from C:P: …` from a Go server (Traefik and friends). */
export const TlsHandshakeErrorRecord = z.object({
  type: z.literal('tls-handshake-error'),
  ...base,
  ts: IsoTs.nullable(),
  client: Endpoint,
  /** The server's own end, when the error names it (`read tcp 192.0.2.240:443->…`). */
  server: Endpoint.optional(),
  side: z.enum(['local', 'remote']).nullable(),
  cause: TlsCause,
  /** The Go error text (`http: TLS handshake error from …`), control characters neutralised. */
  text: z.string(),
  /** The timestamp as written in the source (neutralised), when it had one. */
  tsText: z.string().optional(),
});
export type TlsHandshakeErrorRecord = z.infer<typeof TlsHandshakeErrorRecord>;

/** A generic structured log entry. */
export const LogRecord = z.object({
  type: z.literal('log'),
  ...base,
  ts: IsoTs.nullable(),
  level: z.string().nullable(),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()),
  /** The timestamp as written in the source (neutralised), when it had one. */
  tsText: z.string().optional(),
});
export type LogRecord = z.infer<typeof LogRecord>;

/** One access-log request. */
export const AccessRecord = z.object({
  type: z.literal('access'),
  ...base,
  ts: IsoTs.nullable(),
  client: Endpoint,
  method: z.string().nullable(),
  path: z.string().nullable(),
  status: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  router: z.string().nullable().optional(),
  /** Everything else the line carried (size, referer, user agent, TLS version, backend…). */
  fields: z.record(z.string(), z.unknown()).optional(),
  /** The timestamp as written in the source (neutralised), when it had one. */
  tsText: z.string().optional(),
});
export type AccessRecord = z.infer<typeof AccessRecord>;

/** Schemas contributed by this file to the record union. */
/**
 * A packet the kernel logged as martian (`net.ipv4.conf.*.log_martians = 1`):
 * `IPv4: martian source DST from SRC, on dev DEV` is a packet from SRC to DST that
 * arrived on DEV and failed the reverse-path check (or came from an impossible
 * source); `martian destination DST from SRC, dev DEV` one addressed impossibly.
 * `ts` is null when the log gives only seconds since boot (plain `dmesg`).
 */
export const MartianRecord = z.object({
  type: z.literal('martian'),
  ...base,
  ts: IsoTs.nullable(),
  kind: z.enum(['source', 'destination']),
  src: z.string(),
  dst: z.string(),
  dev: z.string(),
});
export type MartianRecord = z.infer<typeof MartianRecord>;

export const logSchemas = [TlsHandshakeErrorRecord, LogRecord, AccessRecord, MartianRecord] as const;

/**
 * The optional bundle manifest (`forensic.yaml` / `forensic.json` at the bundle
 * root): node names and aliases, time zone per source, clock offset per node,
 * interface maps, the service under investigation, files to exclude.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isValidZone } from '../util/time.js';
import { yaml } from '../util/yaml.js';

const Zone = z
  .string()
  .refine(isValidZone, { message: 'not a known IANA time zone (e.g. UTC, Europe/Berlin)' });

export const ManifestNode = z
  .object({
    /** Other names this node appears under (hostnames, file-name prefixes). */
    aliases: z.array(z.string()).optional(),
    role: z.string().optional(),
    /** Time zone for naive timestamps in this node's files. */
    timezone: Zone.optional(),
    /** Seconds to add to this node's log timestamps to align them with its captures. */
    clockOffset: z.number().optional(),
    /** Interface maps: SLL2 ifindex → name, and capture file → interface name. */
    interfaces: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const Manifest = z
  .object({
    nodes: z.record(z.string(), ManifestNode).optional(),
    service: z
      .object({
        vip: z.string().optional(),
        port: z.number().int().min(1).max(65535).optional(),
        hostname: z.string().optional(),
      })
      .strict()
      .optional(),
    timezone: Zone.optional(),
    /** Per-file settings keyed by bundle-relative path. */
    files: z
      .record(
        z.string(),
        z
          .object({
            node: z.string().optional(),
            timezone: Zone.optional(),
            interface: z.string().optional(),
            format: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    /** Glob-ish patterns (`*` and `**`) of bundle-relative paths to ignore. */
    exclude: z.array(z.string()).optional(),
    /** Free-form provenance written by `forensic collect`. */
    collected: z.record(z.string(), z.unknown()).optional(),
    hostname: z.string().optional(),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

/** Result of loading a manifest: the value, or errors naming the file and the field path. */
export type ManifestResult = { manifest: Manifest; errors: [] } | { manifest: null; errors: string[] };

/** Parse and validate manifest text. `file` is used in messages. */
export function parseManifest(text: string, file: string): ManifestResult {
  let raw: unknown;
  try {
    if (file.endsWith('.json')) raw = JSON.parse(text);
    else {
      const doc = yaml().parseDocument(text, { prettyErrors: true });
      if (doc.errors.length) {
        return {
          manifest: null,
          errors: doc.errors.map(
            (e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`,
          ),
        };
      }
      raw = doc.toJS();
    }
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    return { manifest: null, errors: [`${file}${line ? `:${line}` : ''}: ${(e as Error).message}`] };
  }
  const res = Manifest.safeParse(raw ?? {});
  if (res.success) return { manifest: res.data, errors: [] };
  return {
    manifest: null,
    errors: res.error.issues.map(
      (i) => `${file}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    ),
  };
}

/** Load a manifest file. */
export async function loadManifest(path: string, displayName: string): Promise<ManifestResult> {
  return parseManifest(await readFile(path, 'utf8'), displayName);
}

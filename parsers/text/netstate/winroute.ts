/**
 * Windows `route print` (also `netstat -rn` on Windows), any display language:
 *
 *   IPv4 Route Table
 *   ===========================================================================
 *   Active Routes:
 *   Network Destination        Netmask          Gateway       Interface  Metric
 *             0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.50     25
 *         127.0.0.0        255.0.0.0         On-link         127.0.0.1    331
 *   IPv6 Route Table
 *    If Metric Network Destination      Gateway
 *     4    281 fe80::/64                On-link
 *    12    281 fe80::2c1f:1234:abcd:ef01/128
 *                                       On-link                   (wrapped gateway)
 *
 * Rows are recognised by shape, not by the localised headings, which are skipped.
 * The IPv4 Interface column (the interface's address) becomes `src`; `On-link`
 * (any language: anything that is not an address) means no gateway.
 * "Persistent Routes" rows (which the kernel may not be using) are skipped.
 */
import type { RouteRecord } from '../../../src/model/records/index.js';
import { displayText } from '../../../src/util/sanitize.js';
import type { LineStatus, TextSink } from '../../types.js';
import { isIPv4, isIPv6, maskToPrefix, normDst, stripZone, tokens } from './common.js';

/** Lines that start Windows `route print` output (English and common translations). */
export const WIN_ROUTE_START =
  /^(?:Interface List|Schnittstellenliste|Liste d'Interfaces|Lista de interfaces|Elenco interfacce|IPv[46] Route Table|IPv[46]-Routentabelle|Table de routage IPv[46]|Tabla de rutas IPv[46]|Active Routes:|Aktive Routen:)/i;

/** Reads the rows of one `route print` output. */
export class WinRouteReader {
  private family: 'inet' | 'inet6' = 'inet';
  private persistent = false;
  /** An IPv6 row whose gateway was wrapped to the next line. */
  private wrapped: RouteRecord | null = null;

  constructor(private readonly file: string) {}

  /** Handle one line; `out` receives the routes. */
  line(text: string, lineNo: number, out: TextSink): LineStatus {
    const t = tokens(text);
    if (this.wrapped) {
      const r = this.wrapped;
      this.wrapped = null;
      if (t.length >= 1 && /^\s{8,}/.test(text)) {
        const gw = stripZone(t[0]);
        if (isIPv6(t[0]) && gw !== '::') r.gateway = gw;
        out.record(r);
        return 'parsed';
      }
      out.record(r);
    }
    const t0 = text.trim();
    if (/IPv6/.test(t0) && !/\d+\.\d+\.\d+\.\d+/.test(t0)) {
      this.family = 'inet6';
      this.persistent = false;
      return 'skipped';
    }
    if (/IPv4/.test(t0) && !/\d+\.\d+\.\d+\.\d+\s/.test(t0)) {
      this.family = 'inet';
      this.persistent = false;
      return 'skipped';
    }
    if (/^(?:Persistent Routes|Ständige Routen|Itinéraires persistants|Rutas persistentes)/i.test(t0)) {
      this.persistent = true;
      return 'skipped';
    }
    if (/^(?:Active Routes|Aktive Routen|Itinéraires actifs|Rutas activas)/i.test(t0)) {
      this.persistent = false;
      return 'skipped';
    }
    const r = this.family === 'inet' ? this.v4(t, lineNo, text) : this.v6(t, lineNo, text);
    if (r === 'wrapped') return 'parsed';
    if (r) {
      if (this.persistent) return 'skipped';
      out.record(r);
      return 'parsed';
    }
    // Headings, interface list, "None", separators: understood, nothing to keep.
    if (this.family === 'inet' && t.length === 5 && isIPv4(t[0]) && isIPv4(t[1])) {
      out.issue(lineNo, 'bad-route', `unreadable route print row: ${text.slice(0, 120)}`);
      return 'issue';
    }
    return 'skipped';
  }

  /** Flush a pending wrapped row at the end of the file. */
  end(out: TextSink): void {
    if (this.wrapped) out.record(this.wrapped);
    this.wrapped = null;
  }

  private base(lineNo: number, text: string, dst: string, family: 'inet' | 'inet6'): RouteRecord {
    return {
      type: 'route',
      file: this.file,
      line: lineNo,
      text: displayText(text),
      table: 'main',
      routeType: 'unicast',
      dst,
      family,
    };
  }

  /** `DEST MASK GATEWAY INTERFACE METRIC`; the gateway may be several words (`Auf Verbindung`). */
  private v4(t: string[], lineNo: number, text: string): RouteRecord | null {
    if (t.length < 5 || !isIPv4(t[0]) || !isIPv4(t[1])) return null;
    const metric = t[t.length - 1];
    const ifaddr = t[t.length - 2];
    if (!/^\d+$/.test(metric) || !isIPv4(ifaddr)) return null;
    const len = maskToPrefix(t[1]);
    if (len === null) return null;
    const dst = normDst(`${t[0]}/${len}`);
    if (dst === null) return null;
    const r = this.base(lineNo, text, dst, 'inet');
    const gw = t.length === 5 ? t[2] : '';
    if (isIPv4(gw) && gw !== '0.0.0.0') r.gateway = gw;
    r.src = ifaddr;
    r.metric = Number(metric);
    if (len === 32 && t[0] === ifaddr) {
      r.routeType = 'local';
      r.table = 'local';
    }
    return r;
  }

  /** `IF METRIC DEST [GATEWAY]`; a missing gateway is wrapped to the next line. */
  private v6(t: string[], lineNo: number, text: string): RouteRecord | 'wrapped' | null {
    if (t.length < 3 || !/^\d+$/.test(t[0]) || !/^\d+$/.test(t[1])) return null;
    const dst = normDst(t[2]);
    if (dst === null || (!t[2].includes(':') && t[2] !== 'default')) return null;
    const r = this.base(lineNo, text, dst, 'inet6');
    r.metric = Number(t[1]);
    if (t.length === 3) {
      if (this.persistent) return null;
      this.wrapped = r;
      return 'wrapped';
    }
    const gw = stripZone(t[3]);
    if (isIPv6(t[3]) && gw !== '::') r.gateway = gw;
    return r;
  }
}

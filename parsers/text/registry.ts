/**
 * The table of text formats, in no particular order (sniffing picks the most
 * confident). Units are registered here explicitly; a duplicate id is an error.
 */
import type { TextFormat } from '../types.js';

import { accessLog } from './access-log.js';
import { arp } from './arp.js';
import { arping } from './arping.js';
import { certManager } from './cert-manager.js';
import { curl } from './curl.js';
import { goLog } from './go-log.js';
import { ipAddr } from './ip-addr.js';
import { ipJson } from './ip-json.js';
import { ipLink } from './ip-link.js';
import { ipNeigh } from './ip-neigh.js';
import { ipRoute } from './ip-route.js';
import { ipRule } from './ip-rule.js';
import { iptables } from './iptables.js';
import { kubectl } from './kubectl.js';
import { metallb } from './metallb.js';
import { nft } from './nft.js';
import { openssl } from './openssl.js';
import { ping } from './ping.js';
import { routeN } from './route-n.js';
import { sockets } from './sockets.js';
import { sysctl } from './sysctl.js';
import { syslog } from './syslog.js';
import { traceroute } from './traceroute.js';
import { traefik } from './traefik.js';
import { vagrantfile } from './vagrantfile.js';

const formats: TextFormat[] = [
  // logs
  traefik,
  goLog,
  accessLog,
  syslog,
  // netstate
  ipRoute,
  ipRule,
  ipAddr,
  ipLink,
  ipNeigh,
  ipJson,
  routeN,
  arp,
  arping,
  sysctl,
  sockets,
  nft,
  iptables,
  // client
  ping,
  curl,
  openssl,
  traceroute,
  // k8s
  kubectl,
  metallb,
  certManager,
  vagrantfile,
];

/** All text formats keyed by id. */
export const textFormats: ReadonlyMap<string, TextFormat> = (() => {
  const m = new Map<string, TextFormat>();
  for (const f of formats) {
    if (m.has(f.id)) throw new Error(`duplicate text format id ${f.id}`);
    m.set(f.id, f);
  }
  return m;
})();

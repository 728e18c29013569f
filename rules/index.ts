/**
 * The rule table, in evaluation order: L7 → L4 → L3 → L2, then config — the order
 * a good engineer investigates in. A duplicate id is an error. Symptoms that a
 * lower layer can explain (cert-manager egress failures) sit with the L7 rules.
 */
import { type Rule, ruleTable } from '../src/engine/rule.js';
import { rule as accessSummary } from './access-summary.js';
import { rule as arpConflict } from './arp-conflict.js';
import { rule as asymmetricRouting } from './asymmetric-routing.js';
import { rule as certAcmeEgress } from './cert-acme-egress.js';
import { rule as clientFailures } from './client-failures.js';
import { rule as defaultRouteMismatch } from './default-route-mismatch.js';
import { rule as firewallDrop } from './firewall-drop.js';
import { rule as metallbConfig } from './metallb-config.js';
import { rule as mtuBlackhole } from './mtu-blackhole.js';
import { rule as payloadCorruption } from './payload-corruption.js';
import { rule as rpFilterDrop } from './rp-filter-drop.js';
import { rule as serviceIpOutsidePool } from './service-ip-outside-pool.js';
import { rule as tcpHandshakeIncomplete } from './tcp-handshake-incomplete.js';
import { rule as tlsBadRecordMac } from './tls-bad-record-mac.js';
import { rule as tlsHandshakeFailure } from './tls-handshake-failure.js';
import { rule as vipUnresolved } from './vip-unresolved.js';

/** Every rule, in evaluation order. */
export const rules: readonly Rule[] = ruleTable([
  // L7: symptoms
  tlsBadRecordMac,
  tlsHandshakeFailure,
  clientFailures,
  accessSummary,
  certAcmeEgress, // a config finding, evaluated with the symptoms so routing can explain it
  // L4: transport
  tcpHandshakeIncomplete,
  payloadCorruption,
  firewallDrop,
  // L3: routing
  mtuBlackhole,
  asymmetricRouting,
  rpFilterDrop, // before default-route-mismatch, which explains it
  defaultRouteMismatch,
  // L2: neighbours
  vipUnresolved,
  arpConflict,
  // config
  metallbConfig,
  serviceIpOutsidePool,
]);

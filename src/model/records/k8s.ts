/** Records from Kubernetes, MetalLB, cert-manager and Vagrant state. */
import { z } from 'zod';
import { base, IsoTs } from './base.js';

/** One service port (`80:30080/TCP` in tables, `spec.ports[]` in objects). */
export const ServicePort = z.object({
  name: z.string().optional(),
  port: z.number().int(),
  nodePort: z.number().int().optional(),
  targetPort: z.union([z.number().int(), z.string()]).optional(),
  protocol: z.string(),
});

/**
 * `k8s-service`: a Service from `kubectl get svc [-o wide|json|yaml]`. `pending`
 * is true for a LoadBalancer without an external address (`<pending>`);
 * `externalIPs` joins `status.loadBalancer.ingress[].ip` and `spec.externalIPs`;
 * `addressPool` / `loadBalancerIPs` come from the MetalLB annotations.
 */
export const K8sServiceRecord = z.object({
  type: z.literal('k8s-service'),
  ...base,
  namespace: z.string().optional(),
  name: z.string(),
  svcType: z.string(),
  clusterIP: z.string().optional(),
  externalIPs: z.array(z.string()),
  pending: z.boolean(),
  ports: z.array(ServicePort),
  externalTrafficPolicy: z.string().optional(),
  loadBalancerIP: z.string().optional(),
  loadBalancerIPs: z.array(z.string()).optional(),
  addressPool: z.string().optional(),
  selector: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type K8sServiceRecord = z.infer<typeof K8sServiceRecord>;

/**
 * `k8s-pod`: a Pod from `kubectl get pods [-A] [-o wide|json|yaml]`. `status` is what
 * kubectl shows (`Running`, `CrashLoopBackOff`, `Pending`, …: a waiting or terminated
 * container's reason before the pod's phase); `ready`/`containers` count containers.
 */
export const K8sPodRecord = z.object({
  type: z.literal('k8s-pod'),
  ...base,
  namespace: z.string().optional(),
  name: z.string(),
  status: z.string(),
  ready: z.number().int().optional(),
  containers: z.number().int().optional(),
  restarts: z.number().int(),
  ip: z.string().optional(),
  nodeName: z.string().optional(),
});
export type K8sPodRecord = z.infer<typeof K8sPodRecord>;

/** True when a pod is up: Running with every container ready (readiness unknown counts as ready). */
export function podUp(p: K8sPodRecord): boolean {
  return (
    p.status === 'Running' && (p.ready === undefined || p.containers === undefined || p.ready >= p.containers)
  );
}

/**
 * `metallb-pool`: a MetalLB address pool — `IPAddressPool` (metallb.io) or an
 * entry of the legacy `config` ConfigMap (`address-pools`). `addresses` keeps
 * CIDRs and `a-b` ranges as written; `protocol` only for the legacy form.
 */
export const MetallbPoolRecord = z.object({
  type: z.literal('metallb-pool'),
  ...base,
  namespace: z.string().optional(),
  name: z.string(),
  addresses: z.array(z.string()),
  autoAssign: z.boolean().optional(),
  avoidBuggyIPs: z.boolean().optional(),
  protocol: z.string().optional(),
});
export type MetallbPoolRecord = z.infer<typeof MetallbPoolRecord>;

/**
 * `metallb-l2adv`: an `L2Advertisement`. `nodeSelectors` are rendered as
 * `key=value` / `key In (a,b)` strings; `nodes` lists host names selected via
 * `kubernetes.io/hostname`; empty `ipAddressPools` means every pool.
 */
export const MetallbL2AdvRecord = z.object({
  type: z.literal('metallb-l2adv'),
  ...base,
  namespace: z.string().optional(),
  name: z.string(),
  ipAddressPools: z.array(z.string()),
  ipAddressPoolSelectors: z.array(z.string()),
  nodeSelectors: z.array(z.string()),
  nodes: z.array(z.string()),
  interfaces: z.array(z.string()),
});
export type MetallbL2AdvRecord = z.infer<typeof MetallbL2AdvRecord>;

/**
 * `metallb-event`: a speaker/controller log line with an `event`, or an ARP/NDP
 * answer for a service IP. `event` is normalised (`announced`, `withdrawn`,
 * `allocated`, `arp-response`, `ndp-response`, else the kebab-cased MetalLB
 * name) and `rawEvent` keeps the original; `ip` is the first of `ips`.
 */
export const MetallbEventRecord = z.object({
  type: z.literal('metallb-event'),
  ...base,
  ts: IsoTs.nullable(),
  level: z.string().nullable(),
  event: z.string(),
  rawEvent: z.string(),
  service: z.string().optional(),
  ip: z.string().optional(),
  ips: z.array(z.string()),
  node: z.string().optional(),
  pool: z.string().optional(),
  protocol: z.string().optional(),
  reason: z.string().optional(),
  /** Interface of an ARP/NDP responder or response. */
  iface: z.string().optional(),
  /** MAC the speaker answered with (`arp-response`). */
  mac: z.string().optional(),
  /** Who asked, for `arp-response` / `ndp-response`. */
  client: z.object({ ip: z.string().nullable() }).optional(),
  message: z.string(),
  text: z.string(),
});
export type MetallbEventRecord = z.infer<typeof MetallbEventRecord>;

/**
 * `cert`: readiness of a cert-manager resource (`Certificate`, `Issuer`,
 * `ClusterIssuer`, `CertificateRequest`, `Order`, `Challenge`) from
 * `kubectl describe`, `kubectl get` tables or `-o yaml|json`. `ready` is null
 * when the source does not say.
 */
export const CertRecord = z.object({
  type: z.literal('cert'),
  ...base,
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  ready: z.boolean().nullable(),
  reason: z.string().optional(),
  message: z.string().optional(),
  secret: z.string().optional(),
  issuer: z.string().optional(),
  dnsNames: z.array(z.string()).optional(),
  notAfter: z.string().optional(),
  /** Challenge/Order state (`pending`, `valid`, `invalid`, `errored`). */
  state: z.string().optional(),
});
export type CertRecord = z.infer<typeof CertRecord>;

/**
 * `cert-event`: a cert-manager log line (klog or JSON) at warning level or above,
 * or one that carries an error, or an event from the `Events:` section of
 * `kubectl describe`. `acme` is true when the error came from the ACME server.
 */
export const CertEventRecord = z.object({
  type: z.literal('cert-event'),
  ...base,
  ts: IsoTs.nullable(),
  level: z.string().nullable(),
  logger: z.string().optional(),
  resource: z.string().optional(),
  reason: z.string().optional(),
  message: z.string(),
  error: z.string().optional(),
  acme: z.boolean(),
  text: z.string(),
});
export type CertEventRecord = z.infer<typeof CertEventRecord>;

/**
 * `vagrant-nic`: a network declared in a Vagrantfile. `kind` is
 * `management-nat` (the implicit first NIC: VirtualBox NAT 10.0.2.15 via
 * 10.0.2.2, or libvirt's 192.168.121.0/24), `private_network`, `public_network`
 * or `forwarded_port`. `adapter` is the NIC's position (1 = management NAT, the
 * guest's first interface); forwarded ports ride on adapter 1.
 */
export const VagrantNicRecord = z.object({
  type: z.literal('vagrant-nic'),
  ...base,
  vm: z.string().optional(),
  kind: z.string(),
  adapter: z.number().int().positive(),
  ip: z.string().optional(),
  netmask: z.string().optional(),
  gateway: z.string().optional(),
  bridge: z.string().optional(),
  provider: z.string().optional(),
  options: z.record(z.string(), z.string()),
});
export type VagrantNicRecord = z.infer<typeof VagrantNicRecord>;

/**
 * `vagrant-provisioner`: a `vm.provision` declaration. `provisioner` is its type
 * (`shell`, `ansible`, `file`, …), `run` is `always`, `once` (Vagrant's default)
 * or `never`; `fixesDefaultRoute` is true when the inline script runs
 * `ip route replace|add|change default …` or `route add default …`, with that
 * command's `gateway` and `dev`. `script` is the inline script (clipped).
 */
export const VagrantProvisionerRecord = z.object({
  type: z.literal('vagrant-provisioner'),
  ...base,
  vm: z.string().optional(),
  name: z.string().optional(),
  provisioner: z.string(),
  run: z.string(),
  path: z.string().optional(),
  fixesDefaultRoute: z.boolean(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  script: z.string().optional(),
});
export type VagrantProvisionerRecord = z.infer<typeof VagrantProvisionerRecord>;

/** Schemas contributed by this file to the record union. */
export const k8sSchemas = [
  K8sServiceRecord,
  K8sPodRecord,
  MetallbPoolRecord,
  MetallbL2AdvRecord,
  MetallbEventRecord,
  CertRecord,
  CertEventRecord,
  VagrantNicRecord,
  VagrantProvisionerRecord,
] as const;

// Test support for the control-plane, etcd and CIS 1.1 checks (only tests import this module):
// components read from kubeadm's flags by the real parsers, placed at the lines kubeadm's manifests
// put them (the first flag of kube-apiserver.yaml and etcd.yaml is on line 16), and the static pod
// facts whose hostPath volumes turn container paths into node paths.
import type { ComponentFacts, ComponentName, HostPathMount, NodeFacts, PodFact, StaticPodFacts } from '../../facts/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import { componentFromArgs } from '../../sources/control-plane.ts';
import type { ControlPlaneFacts, EtcdAccount } from '../../facts/types.ts';
import type { CheckResult } from '../types.ts';

export const MANIFESTS = '/etc/kubernetes/manifests';
export const APISERVER_YAML = `${MANIFESTS}/kube-apiserver.yaml`;
export const ETCD_YAML = `${MANIFESTS}/etcd.yaml`;
export const CM_YAML = `${MANIFESTS}/kube-controller-manager.yaml`;
export const SCHEDULER_YAML = `${MANIFESTS}/kube-scheduler.yaml`;
export const FIRST_FLAG_LINE = 16;

/** kube-apiserver flags as kubeadm v1.33 writes them (kubernetes/website issue #51166). */
export const KUBEADM_APISERVER_ARGS = [
  '--advertise-address=192.168.0.150',
  '--allow-privileged=true',
  '--authorization-mode=Node,RBAC',
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--enable-admission-plugins=NodeRestriction',
  '--enable-bootstrap-token-auth=true',
  '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
  '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
  '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
  '--etcd-servers=https://127.0.0.1:2379',
  '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
  '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
  '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
  '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
  '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
  '--requestheader-allowed-names=front-proxy-client',
  '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
  '--requestheader-extra-headers-prefix=X-Remote-Extra-',
  '--requestheader-group-headers=X-Remote-Group',
  '--requestheader-username-headers=X-Remote-User',
  '--secure-port=6443',
  '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
  '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
  '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
  '--service-cluster-ip-range=10.96.0.0/12',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
];

/** etcd flags as kubeadm v1.33 writes them. */
export const KUBEADM_ETCD_ARGS = [
  '--advertise-client-urls=https://192.168.0.150:2379',
  '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
  '--client-cert-auth=true',
  '--data-dir=/var/lib/etcd',
  '--experimental-initial-corrupt-check=true',
  '--experimental-watch-progress-notify-interval=5s',
  '--initial-advertise-peer-urls=https://192.168.0.150:2380',
  '--initial-cluster=cp1=https://192.168.0.150:2380',
  '--key-file=/etc/kubernetes/pki/etcd/server.key',
  '--listen-client-urls=https://127.0.0.1:2379,https://192.168.0.150:2379',
  '--listen-metrics-urls=http://127.0.0.1:2381',
  '--listen-peer-urls=https://192.168.0.150:2380',
  '--name=cp1',
  '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
  '--peer-client-cert-auth=true',
  '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
  '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
  '--snapshot-count=10000',
  '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
];

export const KUBEADM_SCHEDULER_ARGS = [
  '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
  '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
  '--bind-address=127.0.0.1',
  '--kubeconfig=/etc/kubernetes/scheduler.conf',
  '--leader-elect=true',
];

export const KUBEADM_CM_ARGS = [
  '--allocate-node-cidrs=true',
  '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
  '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
  '--bind-address=127.0.0.1',
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
  '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
  '--controllers=*,bootstrapsigner,tokencleaner',
  '--kubeconfig=/etc/kubernetes/controller-manager.conf',
  '--leader-elect=true',
  '--root-ca-file=/etc/kubernetes/pki/ca.crt',
  '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
  '--use-service-account-credentials=true',
];

const FILES: Record<ComponentName, string> = { 'kube-apiserver': APISERVER_YAML, etcd: ETCD_YAML, 'kube-controller-manager': CM_YAML, 'kube-scheduler': SCHEDULER_YAML };
const ARGS: Record<ComponentName, string[]> = { 'kube-apiserver': KUBEADM_APISERVER_ARGS, etcd: KUBEADM_ETCD_ARGS, 'kube-controller-manager': KUBEADM_CM_ARGS, 'kube-scheduler': KUBEADM_SCHEDULER_ARGS };

/** A component from its manifest, flags at kubeadm's lines. */
export function component(name: ComponentName, args: string[] = ARGS[name], env?: Record<string, string>): ComponentFacts {
  return componentFromArgs(name, args, { file: FILES[name], firstLine: FIRST_FLAG_LINE, ...(env ? { env } : {}) });
}

/** kubeadm's flags with some replaced (by name) or added, or removed (value null). */
export function kubeadmArgs(name: ComponentName, changes: Record<string, string | null>): string[] {
  const out = ARGS[name].filter((a) => !(a.slice(2).split('=')[0]! in changes));
  for (const [k, v] of Object.entries(changes)) if (v !== null) out.push(`--${k}=${v}`);
  return out;
}

const mount = (volume: string, path: string, container: string, mountPath = path, readOnly = false): HostPathMount => ({ volume, path, mounts: [{ container, mountPath, readOnly }] });

/** The hostPath volumes kubeadm gives each control-plane pod. */
export function kubeadmHostPaths(name: ComponentName): HostPathMount[] {
  switch (name) {
    case 'etcd':
      return [mount('etcd-certs', '/etc/kubernetes/pki/etcd', name), mount('etcd-data', '/var/lib/etcd', name)];
    case 'kube-apiserver':
      return [mount('ca-certs', '/etc/ssl/certs', name, '/etc/ssl/certs', true), mount('k8s-certs', '/etc/kubernetes/pki', name, '/etc/kubernetes/pki', true)];
    case 'kube-controller-manager':
      return [mount('k8s-certs', '/etc/kubernetes/pki', name, '/etc/kubernetes/pki', true), mount('kubeconfig', '/etc/kubernetes/controller-manager.conf', name, '/etc/kubernetes/controller-manager.conf', true)];
    case 'kube-scheduler':
      return [mount('kubeconfig', '/etc/kubernetes/scheduler.conf', name, '/etc/kubernetes/scheduler.conf', true)];
  }
}

export function podFor(c: ComponentFacts, hostPaths: HostPathMount[] = kubeadmHostPaths(c.name)): PodFact {
  const args = c.flags.filter((f) => f.text.startsWith('-')).map((f) => f.text);
  return {
    name: c.name,
    namespace: 'kube-system',
    hostNetwork: true,
    hostPID: false,
    hostIPC: false,
    containers: [{ name: c.name, command: [c.name, ...args], args: [], privileged: false, capabilitiesAdd: [] }],
    hostPaths,
    labels: { component: c.name, tier: 'control-plane' },
  };
}

export interface CPSpec {
  components: ComponentFacts[];
  /** hostPath volumes per component name (default: kubeadm's) */
  hostPaths?: Partial<Record<ComponentName, HostPathMount[]>>;
  certificates?: ControlPlaneFacts['certificates'];
  files?: Record<string, Partial<StatResult>>;
  etcdAccount?: EtcdAccount;
  staticPods?: Partial<StaticPodFacts>;
}

/** patch: this node runs these components from /etc/kubernetes/manifests. */
export function withControlPlane(spec: CPSpec): (f: NodeFacts) => void {
  return (f) => {
    const manifests = spec.components
      .filter((c) => c.from === 'manifest')
      .map((c) => ({ path: c.file!, stat: { path: c.file!, exists: true as const }, pods: [podFor(c, spec.hostPaths?.[c.name])] }));
    f.staticPods = { path: MANIFESTS, manifests, url: '', ...spec.staticPods };
    const cp: ControlPlaneFacts = { components: spec.components, files: [], certificates: spec.certificates ?? {} };
    if (spec.etcdAccount) cp.etcdAccount = spec.etcdAccount;
    f.controlPlane = cp;
    for (const [p, st] of Object.entries(spec.files ?? {})) f.files[p] = { path: p, exists: true, ...st };
    cp.files = Object.keys(f.files);
  };
}

export function all(r: CheckResult | CheckResult[]): CheckResult[] {
  return Array.isArray(r) ? r : [r];
}

/** The single result (fails when there are several). */
export function only(r: CheckResult | CheckResult[]): CheckResult {
  const a = all(r);
  if (a.length !== 1) throw new Error(`expected 1 result, got ${a.length}: ${a.map((x) => `${x.subject}:${x.status}`).join(', ')}`);
  return a[0]!;
}

export function about(r: CheckResult | CheckResult[], subject: string): CheckResult {
  const x = all(r).find((y) => y.subject === subject);
  if (!x) throw new Error(`no result about ${subject}; subjects: ${all(r).map((y) => y.subject).join(', ')}`);
  return x;
}

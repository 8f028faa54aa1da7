// Shared logic of the static pod checks (kubelet-facts §7): which pods the kubelet runs from its
// staticPodPath (or why that cannot be known), kubeadm's own control-plane pods and the host mounts
// kubeadm gives them, and the host paths that lead around the API server. Pure: facts in, results out.
import path from 'node:path';
import type { ContainerFact, HostPathMount, ManifestFact, NodeFacts, PodFact, StaticPodFacts } from '../../facts/types.ts';
import type { CheckResult, Evidence } from '../types.ts';

/** How an edited manifest takes effect (pkg/kubelet/config/file_linux.go watches, file.go re-lists). */
export const APPLIES = 'the kubelet applies the edited manifest by itself (no restart); keep backups outside the folder, as the kubelet reads every file whose name does not start with "."';

export interface PodRef {
  manifest: ManifestFact;
  pod: PodFact;
  /** the effective namespace: empty becomes "default" (common.go applyDefaults) */
  ns: string;
  /** `<manifest path>#<pod name>` */
  subject: string;
}

export type PodScope =
  | { kind: 'done'; results: CheckResult[] }
  | { kind: 'pods'; sp: StaticPodFacts; pods: PodRef[]; gaps: CheckResult[] };

/** The static pod facts, or the one result that says why there are none to judge. */
export function folderScope(facts: NodeFacts): { kind: 'done'; results: CheckResult[] } | { kind: 'folder'; sp: StaticPodFacts } {
  const sp = facts.staticPods;
  if (!sp) return { kind: 'done', results: [{ status: 'unknown', message: 'static pods were not examined: the evidence holds no static pod facts' }] };
  if (sp.unknown && sp.manifests.length === 0) {
    return { kind: 'done', results: [{ status: 'unknown', message: `the static pods cannot be known: ${sp.unknown}`, ...(sp.path ? { subject: sp.path } : {}) }] };
  }
  if (sp.path === '') {
    return { kind: 'done', results: [{ status: 'not-applicable', message: 'the kubelet has no staticPodPath (it is empty): it runs no static pods from files' }] };
  }
  if (sp.stat?.exists === false) {
    return {
      kind: 'done',
      results: [{ status: 'not-applicable', subject: sp.path, message: `staticPodPath ${sp.path} does not exist: the kubelet runs no static pod from it for now (it keeps looking; whoever can create ${sp.path} can add pods)`, evidence: [{ file: sp.path, note: 'does not exist' }] }],
    };
  }
  if (sp.stat && sp.stat.exists === true && sp.stat.type !== 'dir' && sp.stat.type !== 'file') {
    return { kind: 'done', results: [{ status: 'not-applicable', subject: sp.path, message: `staticPodPath ${sp.path} is a ${sp.stat.type ?? 'special file'}, neither folder nor file: the kubelet runs nothing from it ("path is not a directory or file")` }] };
  }
  return { kind: 'folder', sp };
}

/** The pods the kubelet runs from static manifests, and unknown results for what the audit could not see. */
export function podScope(facts: NodeFacts): PodScope {
  const f = folderScope(facts);
  const urlGap = urlUnknown(facts.staticPods);
  if (f.kind === 'done') return { kind: 'done', results: [...f.results, ...urlGap] };
  const { sp } = f;
  const pods: PodRef[] = [];
  const gaps: CheckResult[] = [];
  for (const m of sp.manifests as ManifestFact[]) {
    if (m.ignored) continue;
    if (m.unreadable) {
      gaps.push({ status: 'unknown', subject: m.path, message: `${m.path}: ${m.unreadable}; the pod the kubelet runs from it is not known`, evidence: [{ file: m.path, note: m.unreadable }] });
      continue;
    }
    for (const pod of m.pods as PodFact[]) pods.push({ manifest: m, pod, ns: pod.namespace || 'default', subject: `${m.path}#${pod.name}` });
  }
  if (sp.unknown) gaps.push({ status: 'unknown', subject: sp.path, message: `not every manifest was examined: ${sp.unknown}` });
  gaps.push(...urlGap);
  if (pods.length === 0 && gaps.length === 0) {
    const files = sp.manifests.filter((m) => !m.ignored).length;
    const why = files === 0 ? 'it holds no manifest the kubelet reads' : `none of its ${files} file${files > 1 ? 's' : ''} decodes to a pod (see static-pod-manifest-decodes)`;
    return { kind: 'done', results: [{ status: 'not-applicable', subject: sp.path, message: `no static pod runs from ${sp.path}: ${why}` }] };
  }
  return { kind: 'pods', sp, pods, gaps };
}

function urlUnknown(sp: StaticPodFacts | undefined): CheckResult[] {
  if (!sp?.url) return [];
  return [{ status: 'unknown', subject: sp.url, message: `the kubelet also runs the pods it fetches from staticPodURL ${sp.url}; they cannot be seen from the node's files (see kubelet-static-pod-url)`, evidence: [{ setting: 'staticPodURL', value: sp.url }] }];
}

/** "In FILE line N" (or without a line). */
export function at(file: string, line?: number): string {
  return `In ${file}${line ? ` line ${line}` : ''}`;
}

export function ev(file: string, line: number | undefined, note: string): Evidence {
  return line ? { file, line, note } : { file, note };
}

/** Label for messages: "pod kube-system/etcd". */
export function podName(ref: PodRef): string {
  return `pod ${ref.ns}/${ref.pod.name}`;
}

// ---- kubeadm's control-plane pods ---------------------------------------------------------------

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
const COMPONENTS: readonly Component[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/**
 * A pod kubeadm writes: labels component=<name> (staticpod.ComponentPod), namespace kube-system,
 * and a container whose command runs that binary. Both the label and the command must agree.
 */
export function kubeadmComponent(pod: PodFact): { name: Component; container: ContainerFact } | undefined {
  const label = pod.labels['component'];
  const name = COMPONENTS.find((c) => c === label);
  if (!name || pod.namespace !== 'kube-system') return undefined;
  const container = (pod.containers as ContainerFact[]).find((c) => !c.init && path.posix.basename(c.command[0] ?? '') === name);
  return container ? { name, container } : undefined;
}

export interface ExpectedMount {
  path: string;
  readOnly: boolean;
  /** where kubeadm writes it */
  source: string;
}

const VOLUMES_GO = 'kubeadm cmd/kubeadm/app/phases/controlplane/volumes.go';
const LOCAL_GO = 'kubeadm cmd/kubeadm/app/phases/etcd/local.go';
// volumes.go caCertsExtraVolumePaths (read-only, mounted when they exist on the host); older
// kubeadm releases listed /etc/pki as a whole.
const CA_EXTRAS = ['/etc/pki', '/etc/pki/ca-trust', '/etc/pki/tls/certs', '/etc/ca-certificates', '/usr/share/ca-certificates', '/usr/local/share/ca-certificates'];
const FLEX_DEFAULT = '/usr/libexec/kubernetes/kubelet-plugins/volume/exec';

/** The host mounts kubeadm gives a control-plane component (default certificatesDir /etc/kubernetes/pki). */
export function kubeadmMounts(name: Component, container: ContainerFact): ExpectedMount[] {
  const ro = (p: string, what: string): ExpectedMount => ({ path: p, readOnly: true, source: `${VOLUMES_GO}: ${what}, read-only` });
  switch (name) {
    case 'etcd':
      // GetEtcdPodSpec: etcd-data (Etcd.Local.DataDir) and etcd-certs (CertificatesDir/etcd), both read-write.
      return [
        { path: '/var/lib/etcd', readOnly: false, source: `${LOCAL_GO}: etcd-data, read-write` },
        { path: '/etc/kubernetes/pki/etcd', readOnly: false, source: `${LOCAL_GO}: etcd-certs, read-write` },
      ];
    case 'kube-apiserver':
      return [ro('/etc/kubernetes/pki', 'k8s-certs'), ro('/etc/ssl/certs', 'ca-certs'), ...CA_EXTRAS.map((p) => ro(p, 'CA certificates'))];
    case 'kube-controller-manager': {
      // The flexvolume folder is read-write ("used for third-party plugins ... via unix domain
      // socket"); kubeadm takes it from --flex-volume-plugin-dir when that flag is given.
      const flag = [...container.command, ...container.args].find((a) => a.startsWith('--flex-volume-plugin-dir='));
      const flex = flag ? flag.slice('--flex-volume-plugin-dir='.length) : FLEX_DEFAULT;
      return [
        ro('/etc/kubernetes/pki', 'k8s-certs'),
        ro('/etc/ssl/certs', 'ca-certs'),
        ro('/etc/kubernetes/controller-manager.conf', 'kubeconfig'),
        { path: clean(flex), readOnly: false, source: `${VOLUMES_GO}: flexvolume-dir, read-write` },
        ...CA_EXTRAS.map((p) => ro(p, 'CA certificates')),
      ];
    }
    case 'kube-scheduler':
      return [ro('/etc/kubernetes/scheduler.conf', 'kubeconfig')];
  }
}

/**
 * Whether kubeadm writes this host mount for this component: same host path, mounted only into
 * the component's own container, read-only wherever kubeadm mounts it read-only.
 */
export function expectedOf(
  ref: PodRef,
  hp: HostPathMount,
): { ok: true; e: ExpectedMount; component: Component } | { ok: false; near?: string; fix?: string; line?: number } {
  const comp = kubeadmComponent(ref.pod);
  if (!comp) return { ok: false };
  const e = kubeadmMounts(comp.name, comp.container).find((x) => x.path === clean(hp.path));
  if (!e) return { ok: false };
  const foreign = hp.mounts.filter((m) => m.container !== comp.container.name);
  if (foreign.length > 0) {
    return { ok: false, near: `kubeadm mounts ${e.path} only into the ${comp.name} container`, fix: `remove the volumeMount of \`${hp.volume}\` from container${foreign.length > 1 ? 's' : ''} ${foreign.map((m) => m.container).join(', ')}; kubeadm mounts it only into ${comp.name}`, line: foreign[0]!.line };
  }
  const rw = hp.mounts.filter((m) => !m.readOnly);
  if (e.readOnly && rw.length > 0) {
    return { ok: false, near: `kubeadm mounts ${e.path} read-only (${e.source})`, fix: `add \`readOnly: true\` to the volumeMount of \`${hp.volume}\` in container ${rw.map((m) => m.container).join(', ')}, as kubeadm writes it`, line: rw[0]!.line };
  }
  return { ok: true, e, component: comp.name };
}

// ---- Host paths that lead around the API server -------------------------------------------------

/** kubelet-facts §7: container runtime sockets at their usual places. */
/** How a runtime socket at one of its usual places is described (where a path is named alone, this is left out). */
export const RUNTIME_SOCKET_DESC = 'a container runtime socket at its usual place';
export const RUNTIME_SOCKETS = ['/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/var/run/docker.sock', '/var/run/cri-dockerd.sock', '/run/k3s/containerd/containerd.sock'];

export interface SensitiveRoot {
  path: string;
  kind: 'runtime-socket' | 'static-pods' | 'credentials';
  /** what is there, e.g. "etcd's data: every Secret of the cluster"; for a socket, how it was found */
  desc: string;
}

export interface Hit {
  root: SensitiveRoot;
  relation: 'same' | 'parent' | 'inside';
}

/** The hits in words; runtime sockets reached the same way are named together. */
export function hitWords(hits: Hit[]): string {
  const out: string[] = [];
  const sockets = hits.filter((h) => h.root.kind === 'runtime-socket');
  const same = sockets.filter((h) => h.relation === 'same');
  const above = sockets.filter((h) => h.relation !== 'same');
  const named = (hs: Hit[]) => hs.map((h) => (h.root.desc === RUNTIME_SOCKET_DESC ? h.root.path : `${h.root.path} (${h.root.desc})`)).join(', ');
  if (same.length > 0) out.push(`the container runtime socket${same.length > 1 ? 's' : ''} ${named(same)}`);
  if (above.length > 0) out.push(`a folder above the container runtime socket${above.length > 1 ? 's' : ''} ${named(above)}`);
  for (const h of hits) {
    if (h.root.kind === 'runtime-socket') continue;
    out.push(h.relation === 'same' ? `${h.root.path} (${h.root.desc})` : `${h.relation === 'parent' ? 'a folder above' : 'a path inside'} ${h.root.path} (${h.root.desc})`);
  }
  return out.join('; ');
}

/** A clean absolute path: "..", "." and repeated or trailing slashes folded. */
export function clean(p: string): string {
  return path.posix.normalize(p.startsWith('/') ? p : `/${p}`).replace(/(.)\/$/, '$1');
}

/** /var/run is /run on every current distribution (a compatibility symlink). */
function canonical(p: string): string {
  const c = clean(p);
  return c === '/var/run' || c.startsWith('/var/run/') ? `/run${c.slice('/var/run'.length)}` : c;
}

export function sensitiveRoots(facts: NodeFacts): SensitiveRoot[] {
  const roots: SensitiveRoot[] = [];
  const socket = (p: string, how: string) => {
    if (!roots.some((r) => r.path === clean(p))) roots.push({ path: clean(p), kind: 'runtime-socket', desc: how });
  };
  for (const s of RUNTIME_SOCKETS) socket(s, RUNTIME_SOCKET_DESC);
  for (const setting of ['containerRuntimeEndpoint', 'imageServiceEndpoint']) {
    const v = facts.kubelet.effective[setting]?.value;
    if (typeof v === 'string' && /^unix:\/\//.test(v)) socket(v.slice('unix://'.length), `the kubelet's ${setting}`);
  }
  for (const s of facts.runtimeSockets?.sockets ?? []) socket(s.path, s.source);
  const sp = facts.staticPods?.path;
  if (sp) roots.push({ path: clean(sp), kind: 'static-pods', desc: 'the static pod folder: a file written there runs as a pod, without admission' });
  roots.push({ path: '/etc/kubernetes', kind: 'credentials', desc: "the kubelet's and the control plane's kubeconfigs and the cluster CA key" });
  roots.push({ path: '/var/lib/kubelet', kind: 'credentials', desc: "the kubelet's keys and every pod's volumes, Secrets included" });
  const rootDir = facts.kubelet.effective['--root-dir']?.value;
  if (typeof rootDir === 'string' && rootDir.startsWith('/') && clean(rootDir) !== '/var/lib/kubelet') {
    roots.push({ path: clean(rootDir), kind: 'credentials', desc: "the kubelet's --root-dir: its keys and every pod's volumes" });
  }
  roots.push({ path: '/var/lib/etcd', kind: 'credentials', desc: "etcd's data: every Secret of the cluster" });
  return roots;
}

/** Which sensitive roots a host path is, contains, or lies inside (sockets: is or contains). */
export function hitsOf(hp: HostPathMount, roots: SensitiveRoot[]): Hit[] {
  const written = [hp.path, ...(hp.realPath ? [hp.realPath] : [])];
  const paths = new Set(written.flatMap((p) => [clean(p), canonical(p)]));
  const out: Hit[] = [];
  for (const root of roots) {
    const rs = new Set([clean(root.path), canonical(root.path)]);
    let relation: Hit['relation'] | undefined;
    for (const p of paths) {
      for (const r of rs) {
        if (p === r) relation = 'same';
        else if (p === '/' || r.startsWith(`${p}/`)) relation = relation === 'same' ? relation : 'parent';
        else if (root.kind !== 'runtime-socket' && p.startsWith(`${r}/`)) relation ??= 'inside';
      }
    }
    if (relation && !out.some((h) => h.root.path === root.path)) out.push({ root, relation });
  }
  return out;
}

export function mountWords(hp: HostPathMount): string {
  if (hp.mounts.length === 0) return 'no container mounts it';
  return hp.mounts.map((m) => `container ${m.container} at ${m.mountPath}${m.readOnly ? ' (read-only)' : ' (writable)'}${m.line ? `, line ${m.line}` : ''}`).join('; ');
}

export function hostPathEvidence(ref: PodRef, hp: HostPathMount): Evidence[] {
  const out: Evidence[] = [ev(ref.manifest.path, hp.line, `volume ${hp.volume}: hostPath ${hp.path}${hp.type ? ` (type ${hp.type})` : ''}${hp.realPath ? `, on the node ${hp.realPath}` : ''}`)];
  for (const m of hp.mounts) out.push(ev(ref.manifest.path, m.line, `container ${m.container} mounts it at ${m.mountPath}${m.readOnly ? ' read-only' : ' writable'}`));
  return out;
}

// Workloads that lead around the API server, seen through the API server: a pure evaluation of
// v1.Pod and v1.Namespace JSON (as the API server, or the kubelet's /pods, returns them). No I/O.
//
// kubelet-facts §7. Host paths are judged with the static pod checks' own helpers
// (checks/static-pods/common.ts: RUNTIME_SOCKETS, hitsOf — "..", "//", trailing "/" and
// /var/run = /run folded — and hitWords), so a pod in the cluster and a manifest on a node are
// judged alike. Semantics follow kubernetes/kubernetes:
// - pkg/kubelet/config/common.go (applyDefaults): a static pod is named "<name>-<nodeName>", its
//   UID is a hash of the manifest and annotation kubernetes.io/config.hash repeats that UID;
// - pkg/kubelet/pod/mirror_client.go: the mirror pod carries kubernetes.io/config.mirror = that
//   hash, and (since 1.17) one controller ownerReference to its Node; getPodHash/IsMirrorPod;
// - plugin/pkg/admission/noderestriction/admission.go (admitPodCreate): a node may only create
//   mirror pods, and none that reference a ServiceAccount, a Secret, a ConfigMap, a
//   ClusterTrustBundle or a PersistentVolumeClaim — such a static pod runs, but has no mirror;
// - staging/src/k8s.io/pod-security-admission/api/helpers.go (PolicyToEvaluate): an absent enforce
//   label takes the admission configuration's default (privileged when none is configured); a
//   label that does not parse is evaluated as "restricted".
import { clean, hitsOf, hitWords, RUNTIME_SOCKET_DESC, RUNTIME_SOCKETS, type Hit, type SensitiveRoot } from '../checks/static-pods/common.ts';
import type { HostPathMount } from '../facts/types.ts';

export type BypassKind =
  | 'runtime-socket'
  | 'socket-parent'
  | 'static-pod-folder'
  | 'kubelet-dir'
  | 'etcd-dir'
  | 'kubernetes-dir'
  | 'privileged-host-namespaces';

export type WorkloadSeverity = 'critical' | 'high' | 'medium';

export interface BypassFinding {
  namespace: string;
  pod: string;
  node?: string;
  kind: BypassKind;
  detail: string;
  severity: WorkloadSeverity;
  /** ownerReferences (the controller, else the first) as kind/name */
  owner?: string;
  /** a mirror pod (annotation kubernetes.io/config.mirror): the static pod it shows runs without admission */
  mirror?: true;
}

export interface BypassOptions {
  /** the kubelets' staticPodPath (kubeadm's /etc/kubernetes/manifests unless told otherwise) */
  staticPodPath?: string;
  /** more runtime sockets to look for (e.g. a kubelet's containerRuntimeEndpoint without unix://) */
  runtimeSockets?: string[];
  /**
   * The paths of the node the pods run on, from its live configz: then its runtime socket and static
   * pod folder are that node's own (staticPodPath and runtimeSockets are not used), and the detail
   * says so. Without it the defaults are used, and the detail says why (`defaultsBecause`).
   */
  node?: NodePaths;
  /** why the default paths are used (unscheduled pod, node configuration unreadable, …) */
  defaultsBecause?: string;
}

/**
 * The bypass paths of one node, as its kubelet reports them (configz: KubeletConfiguration). The
 * kubelet's root directory is the --root-dir flag (cmd/kubelet/app/options/options.go,
 * KubeletFlags.RootDirectory), not a KubeletConfiguration field, so configz never shows it: it stays
 * /var/lib/kubelet (the default), and the kubelet's serving key folder is added where configz names
 * one elsewhere.
 */
export interface NodePaths {
  node: string;
  /** containerRuntimeEndpoint ("unix:///run/containerd/containerd.sock"); absent: not in the answer */
  containerRuntimeEndpoint?: string;
  /** imageServiceEndpoint ("" = the runtime endpoint) */
  imageServiceEndpoint?: string;
  /** staticPodPath; "" = the kubelet has no static pod folder */
  staticPodPath?: string;
  /** tlsPrivateKeyFile / tlsCertFile: the kubelet's serving certificate and key */
  tlsPrivateKeyFile?: string;
  tlsCertFile?: string;
}

/** A node's bypass paths from its configz settings (EffectiveConfig values; anything not a string is left out). */
export function nodePathsFrom(node: string, value: (setting: string) => unknown): NodePaths {
  const out: NodePaths = { node };
  for (const k of ['containerRuntimeEndpoint', 'imageServiceEndpoint', 'staticPodPath', 'tlsPrivateKeyFile', 'tlsCertFile'] as const) {
    const v = value(k);
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * Every pod, volume, container and namespace given is read: a bound that skipped the rest would hide
 * the one that matters (a docker.sock mount as a pod's 1,001st volume). The work is linear in the
 * input, which the caller bounds (the cluster client's per-item and per-list bounds). Only the
 * look-alike namespace explanation, which is text, not a verdict, looks at this many namespaces.
 */
export const LIMITS = { lookalikeCandidates: 1_000 } as const;

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const PSA_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

// ---- Loose JSON access ------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function list(v: unknown): Obj[] {
  if (!Array.isArray(v)) return [];
  const out: Obj[] = [];
  for (let i = 0; i < v.length; i++) {
    const o = obj(v[i]);
    if (o) out.push(o);
  }
  return out;
}

function strMap(v: unknown): Record<string, string> {
  const o = obj(v);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, val] of Object.entries(o)) if (typeof val === 'string') out[k] = val;
  return out;
}

interface PodView {
  namespace: string;
  name: string;
  uid?: string;
  node?: string;
  annotations: Record<string, string>;
  owners: Obj[];
  spec: Obj;
}

function view(p: unknown): PodView | undefined {
  const o = obj(p);
  if (!o) return undefined;
  const meta = obj(o.metadata) ?? {};
  const spec = obj(o.spec) ?? {};
  const node = str(spec.nodeName);
  const uid = str(meta.uid);
  return {
    namespace: str(meta.namespace) ?? 'default',
    name: str(meta.name) ?? '(unnamed)',
    ...(uid ? { uid } : {}),
    ...(node ? { node } : {}),
    annotations: strMap(meta.annotations),
    owners: list(meta.ownerReferences),
    spec,
  };
}

function ownerOf(v: PodView): string | undefined {
  const o = v.owners.find((r) => r.controller === true) ?? v.owners[0];
  if (!o) return undefined;
  return `${str(o.kind) ?? '?'}/${str(o.name) ?? '?'}`;
}

function isMirror(v: PodView): boolean {
  return MIRROR_ANNOTATION in v.annotations;
}

function containersOf(spec: Obj): Obj[] {
  return [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)];
}

// ---- bypassPods -------------------------------------------------------------------------------------

/** Well-known socket paths that are not the node's configured runtime: a bypass only if another runtime serves there. */
const OTHER_RUNTIME = "a well-known runtime socket path, not this node's containerRuntimeEndpoint";

const socketPath = (endpoint: string): string | undefined => {
  const p = endpoint.replace(/^unix:\/\//, '');
  return p.startsWith('/') ? clean(p) : undefined; // npipe:// (Windows), tcp://: no host path
};

function roots(opts: BypassOptions): SensitiveRoot[] {
  const out: SensitiveRoot[] = [];
  const n = opts.node;
  const socket = (p: string | undefined, desc: string): void => {
    if (p && !out.some((r) => r.kind === 'runtime-socket' && clean(r.path) === clean(p))) out.push({ path: clean(p), kind: 'runtime-socket', desc });
  };
  if (n) {
    // the node's own runtime, as its kubelet reports it (the default when configz leaves it out: defaults.go)
    socket(socketPath(n.containerRuntimeEndpoint || 'unix:///run/containerd/containerd.sock'), `${n.node}'s containerRuntimeEndpoint`);
    if (n.imageServiceEndpoint) socket(socketPath(n.imageServiceEndpoint), `${n.node}'s imageServiceEndpoint`);
    for (const s of RUNTIME_SOCKETS) socket(s, OTHER_RUNTIME);
  } else for (const s of [...RUNTIME_SOCKETS, ...(opts.runtimeSockets ?? [])]) socket(socketPath(s), RUNTIME_SOCKET_DESC);
  const sp = n ? n.staticPodPath : opts.staticPodPath && opts.staticPodPath.startsWith('/') ? opts.staticPodPath : '/etc/kubernetes/manifests';
  if (sp && sp.startsWith('/'))
    out.push({ path: clean(sp), kind: 'static-pods', desc: `the static pod folder${n ? ` of ${n.node} (its staticPodPath)` : ''}: a file written there runs as a pod, without admission` });
  // the kubelet's serving key, where configz names a folder outside the fixed ones
  for (const f of [n?.tlsPrivateKeyFile, n?.tlsCertFile]) {
    if (!f || !f.startsWith('/')) continue;
    const dir = clean(f).replace(/\/[^/]*$/, '') || '/';
    if (dir === '/' || ['/etc/kubernetes', '/var/lib/kubelet'].some((r) => dir === r || dir.startsWith(`${r}/`)) || out.some((r) => r.path === dir)) continue;
    out.push({ path: dir, kind: 'credentials', desc: `the folder of ${n!.node}'s kubelet serving key (tlsPrivateKeyFile/tlsCertFile)` });
  }
  out.push({ path: '/etc/kubernetes', kind: 'credentials', desc: "the kubelet's and the control plane's kubeconfigs and the cluster CA key" });
  out.push({ path: '/var/lib/kubelet', kind: 'credentials', desc: "the kubelet's keys and every pod's volumes, Secrets included" });
  out.push({ path: '/var/lib/etcd', kind: 'credentials', desc: "etcd's data: every Secret of the cluster" });
  return out;
}

const CREDENTIAL_KIND: Record<string, BypassKind> = {
  '/etc/kubernetes': 'kubernetes-dir',
  '/var/lib/kubelet': 'kubelet-dir',
  '/var/lib/etcd': 'etcd-dir',
};

function kindOf(h: Hit): BypassKind {
  if (h.root.kind === 'runtime-socket') return h.relation === 'same' ? 'runtime-socket' : 'socket-parent';
  if (h.root.kind === 'static-pods') return 'static-pod-folder';
  return CREDENTIAL_KIND[h.root.path] ?? (h.root.desc.includes('kubelet serving key') ? 'kubelet-dir' : 'kubernetes-dir');
}

/** A hit on a well-known socket path that is not the node's configured runtime (only when the node's paths are known). */
const otherRuntime = (h: Hit): boolean => h.root.desc === OTHER_RUNTIME;

const RANK: BypassKind[] = ['runtime-socket', 'socket-parent', 'static-pod-folder', 'etcd-dir', 'kubernetes-dir', 'kubelet-dir'];

/** One finding per hostPath volume: the worst thing it reaches, everything it reaches in the detail. */
function judgeVolume(v: PodView, hp: HostPathMount, all: Hit[], basis: string): Pick<BypassFinding, 'kind' | 'severity' | 'detail'> {
  // the node's own runtime decides; a well-known path of another runtime counts only when nothing else is hit
  const own = all.filter((h) => !otherRuntime(h));
  const hits = own.length > 0 ? own : all;
  const kinds = hits.map(kindOf);
  const kind = RANK.find((k) => kinds.includes(k)) ?? kinds[0]!;
  const writable = hp.mounts.some((m) => !m.readOnly);
  const elsewhere = own.length === 0; // only another runtime's well-known socket path
  let severity: WorkloadSeverity;
  if (elsewhere) severity = 'high';
  else if (kind === 'runtime-socket' || kind === 'socket-parent') severity = 'critical';
  else if (kind === 'static-pod-folder') severity = writable ? 'critical' : 'high';
  else {
    const main = hits.find((h) => kindOf(h) === kind);
    severity = main?.relation === 'inside' ? 'medium' : 'high';
  }
  const mounts =
    hp.mounts.length === 0
      ? 'no container mounts it (an ephemeral container added through pods/ephemeralcontainers can)'
      : hp.mounts.map((m) => `container ${m.container} at ${m.mountPath}${m.readOnly ? ' (read-only)' : ' (writable)'}`).join('; ');
  if (hp.mounts.length === 0 && severity !== 'medium') severity = severity === 'critical' ? 'high' : 'medium';
  const consequence = elsewhere
    ? "it is not this node's configured runtime socket: a bypass only if another runtime (docker, cri-dockerd…) also serves it on the node"
    : kind === 'runtime-socket' || kind === 'socket-parent'
      ? 'its containers can talk to the container runtime directly and start privileged containers on the node, bypassing the API server; read-only does not help, connecting to a socket needs no write access'
      : kind === 'static-pod-folder'
        ? writable
          ? 'its containers can write new static pods, which the kubelet runs without admission'
          : 'its containers can read the static pod manifests'
        : 'its containers can read the credentials there (and change them where the mount is writable)';
  return { kind, severity, detail: `${v.namespace}/${v.name} volume ${hp.volume}: hostPath ${hp.path} is ${hitWords(hits)}; ${consequence}. Mounts: ${mounts} (${basis})` };
}

function hostPathsOf(spec: Obj): HostPathMount[] {
  // the mounts by volume name first: linear in the pod, however many volumes and containers it has
  const byVolume = new Map<string, HostPathMount['mounts']>();
  for (const c of containersOf(spec)) {
    for (const m of list(c.volumeMounts)) {
      if (typeof m.name !== 'string') continue;
      const mount = { container: str(c.name) ?? '(unnamed)', mountPath: str(m.mountPath) ?? '?', readOnly: m.readOnly === true };
      const l = byVolume.get(m.name);
      if (l) l.push(mount);
      else byVolume.set(m.name, [mount]);
    }
  }
  const out: HostPathMount[] = [];
  for (const vol of list(spec.volumes)) {
    const name = str(vol.name);
    const path = str(obj(vol.hostPath)?.path);
    if (!name || !path) continue;
    const type = str(obj(vol.hostPath)?.type);
    out.push({ volume: name, path, ...(type ? { type } : {}), mounts: byVolume.get(name) ?? [] });
  }
  return out;
}

function hostNamespaceFinding(v: PodView): Pick<BypassFinding, 'kind' | 'severity' | 'detail'> | undefined {
  const privileged = containersOf(v.spec)
    .filter((c) => obj(c.securityContext)?.privileged === true)
    .map((c) => str(c.name) ?? '(unnamed)');
  if (privileged.length === 0) return undefined;
  const ns = (['hostPID', 'hostNetwork', 'hostIPC'] as const).filter((k) => v.spec[k] === true);
  if (ns.length === 0) return undefined;
  const severity: WorkloadSeverity = ns.includes('hostPID') ? 'critical' : 'high';
  const how = ns.includes('hostPID')
    ? 'a privileged container in the host PID namespace can enter PID 1 (nsenter -t 1 -a) and is root on the node'
    : 'a privileged container sharing the host network/IPC namespace has every capability and the host devices: it can take over the node';
  return {
    kind: 'privileged-host-namespaces',
    severity,
    detail: `${v.namespace}/${v.name}: privileged container${privileged.length > 1 ? 's' : ''} ${privileged.join(', ')} with ${ns.join(', ')}; ${how}, and from there reach the runtime socket and the kubelet's credentials`,
  };
}

/** Pods (v1.Pod JSON from the API server) whose host mounts or privileges lead around the API server. */
export function bypassPods(pods: readonly unknown[], opts: BypassOptions = {}): BypassFinding[] {
  const rs = roots(opts);
  const basis = opts.node
    ? `judged with the paths ${opts.node.node}'s kubelet reports in its configz`
    : `judged with the default paths (/etc/kubernetes/manifests, the well-known runtime sockets)${opts.defaultsBecause ? `: ${opts.defaultsBecause}` : ''}`;
  const out: BypassFinding[] = [];
  if (!Array.isArray(pods)) return out;
  const n = pods.length;
  for (let i = 0; i < n; i++) {
    const v = view(pods[i]);
    if (!v) continue;
    const owner = ownerOf(v);
    const base = {
      namespace: v.namespace,
      pod: v.name,
      ...(v.node ? { node: v.node } : {}),
      ...(owner ? { owner } : {}),
      ...(isMirror(v) ? { mirror: true as const } : {}),
    };
    for (const hp of hostPathsOf(v.spec)) {
      const hits = hitsOf(hp, rs);
      if (hits.length > 0) out.push({ ...base, ...judgeVolume(v, hp, hits, basis) });
    }
    const hn = hostNamespaceFinding(v);
    if (hn) out.push({ ...base, ...hn });
  }
  return out;
}

/**
 * What bypassPods reads of a pod, and nothing else (its hostPath volumes and their mounts, privileged
 * containers, host namespaces, owner, mirror annotation), or undefined when it has neither a hostPath
 * volume nor a privileged container: pods are kept in this form until their node's paths are known.
 */
export function bypassCandidate(p: unknown): object | undefined {
  const v = view(p);
  if (!v) return undefined;
  const hostVols = list(v.spec.volumes).filter((vol) => str(vol.name) && str(obj(vol.hostPath)?.path));
  const privileged = containersOf(v.spec).some((c) => obj(c.securityContext)?.privileged === true);
  if (hostVols.length === 0 && !privileged) return undefined;
  const names = new Set(hostVols.map((vol) => str(vol.name)!));
  const container = (c: Obj): Obj => ({
    name: str(c.name) ?? '(unnamed)',
    volumeMounts: list(c.volumeMounts).filter((m) => typeof m.name === 'string' && names.has(m.name)).map((m) => ({ name: m.name, mountPath: str(m.mountPath) ?? '?', readOnly: m.readOnly === true })),
    ...(obj(c.securityContext)?.privileged === true ? { securityContext: { privileged: true } } : {}),
  });
  const owner = v.owners.find((r) => r.controller === true) ?? v.owners[0];
  const mirror = v.annotations[MIRROR_ANNOTATION];
  return {
    metadata: {
      namespace: v.namespace, name: v.name,
      ...(owner ? { ownerReferences: [{ kind: str(owner.kind) ?? '?', name: str(owner.name) ?? '?', controller: true }] } : {}),
      ...(mirror !== undefined ? { annotations: { [MIRROR_ANNOTATION]: mirror } } : {}),
    },
    spec: {
      ...(v.node ? { nodeName: v.node } : {}),
      ...(['hostPID', 'hostNetwork', 'hostIPC'] as const).reduce<Obj>((a, k) => (v.spec[k] === true ? { ...a, [k]: true } : a), {}),
      volumes: hostVols.map((vol) => ({ name: vol.name, hostPath: { path: str(obj(vol.hostPath)?.path), ...(str(obj(vol.hostPath)?.type) ? { type: str(obj(vol.hostPath)?.type) } : {}) } })),
      initContainers: list(v.spec.initContainers).map(container),
      containers: list(v.spec.containers).map(container),
      ephemeralContainers: list(v.spec.ephemeralContainers).map(container),
    },
  };
}

/** The node a pod (or a bypassCandidate) is scheduled on, or undefined. */
export function nodeOf(p: unknown): string | undefined {
  return str(obj(obj(p)?.spec)?.nodeName);
}

// ---- hiddenStaticPods ---------------------------------------------------------------------------------

export interface HiddenStaticPod {
  namespace: string;
  pod: string;
  node: string;
  source?: string;
  hash?: string;
  severity: 'critical' | 'high';
  /** the likely reasons the kubelet could not create a mirror pod */
  reasons: string[];
  detail: string;
  /** what the pod itself reaches (bypassPods on the kubelet's view of it) */
  bypass: BypassFinding[];
}

export interface HiddenOptions extends BypassOptions {
  /** the namespaces that exist (metadata.name); when given, a missing namespace is stated, not guessed (a Set: built once for every node) */
  namespaces?: readonly string[] | ReadonlySet<string>;
}

/** A pod the kubelet runs from its static pod folder or URL (not a mirror pod): what hiddenStaticPods looks at. */
export function isStaticPod(p: unknown): boolean {
  const v = view(p);
  return v !== undefined && isStatic(v);
}

function isStatic(v: PodView): boolean {
  if (isMirror(v)) return false; // a mirror's copy of the annotations, not the kubelet's own pod
  const source = v.annotations[SOURCE_ANNOTATION];
  if (source === 'file' || source === 'http') return true;
  return source === undefined && HASH_ANNOTATION in v.annotations;
}

/** What in the spec NodeRestriction refuses in a mirror pod (admitPodCreate). */
function nodeRestrictionRefs(spec: Obj): string[] {
  const out: string[] = [];
  const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount);
  if (sa) out.push(`ServiceAccount ${sa}`);
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  let pvc = false;
  let ctb = false;
  for (const s of list(spec.imagePullSecrets)) if (str(s.name)) secrets.add(str(s.name)!);
  for (const vol of list(spec.volumes)) {
    const secretName = str(obj(vol.secret)?.secretName);
    if (secretName) secrets.add(secretName);
    const cm = str(obj(vol.configMap)?.name);
    if (cm) configMaps.add(cm);
    if (obj(vol.persistentVolumeClaim)) pvc = true;
    for (const k of ['azureFile', 'cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos', 'csi']) {
      const ref = str(obj(obj(vol[k])?.secretRef)?.name) ?? str(obj(obj(vol[k])?.nodePublishSecretRef)?.name) ?? (k === 'azureFile' ? str(obj(vol[k])?.secretName) : undefined);
      if (ref) secrets.add(ref);
    }
    for (const src of list(obj(vol.projected)?.sources)) {
      const s = str(obj(src.secret)?.name);
      if (s) secrets.add(s);
      const c = str(obj(src.configMap)?.name);
      if (c) configMaps.add(c);
      if (obj(src.clusterTrustBundle)) ctb = true;
    }
  }
  for (const c of containersOf(spec)) {
    for (const e of list(c.env)) {
      const from = obj(e.valueFrom);
      const s = str(obj(from?.secretKeyRef)?.name);
      if (s) secrets.add(s);
      const cm = str(obj(from?.configMapKeyRef)?.name);
      if (cm) configMaps.add(cm);
    }
    for (const e of list(c.envFrom)) {
      const s = str(obj(e.secretRef)?.name);
      if (s) secrets.add(s);
      const cm = str(obj(e.configMapRef)?.name);
      if (cm) configMaps.add(cm);
    }
  }
  if (secrets.size > 0) out.push(`Secret${secrets.size > 1 ? 's' : ''} ${[...secrets].slice(0, 10).join(', ')}`);
  if (configMaps.size > 0) out.push(`ConfigMap${configMaps.size > 1 ? 's' : ''} ${[...configMaps].slice(0, 10).join(', ')}`);
  if (ctb) out.push('a ClusterTrustBundle');
  if (pvc) out.push('a PersistentVolumeClaim');
  return out;
}

/**
 * Whether two names are at most 2 edits apart: the edit-distance table in a band of width 5 around
 * its diagonal, stopping as soon as a row is all over 2 (small names only: a namespace name is at
 * most 63 characters). Linear in the names, so comparing with many namespaces stays cheap.
 */
function withinTwoEdits(a: string, b: string): boolean {
  const K = 2;
  if (a.length > 63 || b.length > 63 || Math.abs(a.length - b.length) > K) return false;
  const OVER = K + 1;
  let prev = ROW_A.fill(OVER, 0, b.length + 1);
  let cur = ROW_B;
  for (let j = 0; j <= Math.min(K, b.length); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur.fill(OVER, 0, b.length + 1);
    if (i <= K) cur[0] = i;
    let best = cur[0]!;
    for (let j = Math.max(1, i - K); j <= Math.min(b.length, i + K); j++) {
      cur[j] = Math.min(OVER, prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > K) return false;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]! <= K;
}
const ROW_A = new Int8Array(64);
const ROW_B = new Int8Array(64);

const WELL_KNOWN_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];
/** distinct namespaces whose look-alike is searched in one call (the explanation only: every pod is still judged) */
const MAX_LOOKALIKE_SEARCHES = 100;

/** Why a static pod's namespace keeps its mirror pod out, computed once per namespace in one call. */
class NamespaceReasons {
  private readonly known: ReadonlySet<string> | undefined;
  private readonly candidates: string[];
  private readonly cache = new Map<string, string | undefined>();

  constructor(known: readonly string[] | ReadonlySet<string> | undefined) {
    this.known = known === undefined ? undefined : known instanceof Set ? known : new Set(known as readonly string[]);
    const first: string[] = [];
    for (const n of this.known ?? []) {
      if (first.length >= LIMITS.lookalikeCandidates) break;
      first.push(n);
    }
    this.candidates = [...new Set([...WELL_KNOWN_NAMESPACES, ...first])];
  }

  reason(ns: string): string | undefined {
    if (this.cache.has(ns)) return this.cache.get(ns);
    const r = this.compute(ns, this.cache.size < MAX_LOOKALIKE_SEARCHES);
    this.cache.set(ns, r);
    return r;
  }

  private compute(ns: string, lookalikes: boolean): string | undefined {
    const exists = this.known?.has(ns);
    if (exists === true) return undefined;
    const near = lookalikes ? this.candidates.find((c) => c !== ns && withinTwoEdits(c, ns)) : undefined;
    const lookalike = near ? ` (it looks like ${near}: a namespace named to pass for a system one)` : '';
    return exists === false
      ? `namespace ${ns} does not exist, so the API server refuses the mirror pod${lookalike}`
      : `namespace ${ns} may not exist, which makes the API server refuse the mirror pod${lookalike}`;
  }
}

// ---- mirror pods: the static pods of each node as the API server shows them ------------------------

export interface MirrorPod {
  namespace: string;
  pod: string;
  uid?: string;
  /** the static pod's config hash (the mirror annotation's value) */
  hash?: string;
  /** whether an ownerReference of kind Node names the node (every kubelet since 1.17 sets one) */
  ownedByNode: boolean;
}

/** The mirror pods of one node, and the keys hiddenStaticPods compares; built pod by pod so a long pod list can be streamed. */
export interface MirrorIndex {
  pods: MirrorPod[];
  names: Set<string>;
  hashes: Set<string>;
  uids: Set<string>;
}

function emptyMirrorIndex(): MirrorIndex {
  return { pods: [], names: new Set(), hashes: new Set(), uids: new Set() };
}

/**
 * Adds one API-server pod to the per-node mirror index (key: spec.nodeName, else its Node owner;
 * "" for a mirror with neither, which counts for every node). Returns whether it was a mirror pod.
 */
export function indexMirrorPod(byNode: Map<string, MirrorIndex>, pod: unknown): boolean {
  const v = view(pod);
  if (!v || !isMirror(v)) return false;
  const nodeOwner = v.owners.find((o) => o.kind === 'Node');
  const key = v.node ?? str(nodeOwner?.name) ?? '';
  const hash = str(v.annotations[MIRROR_ANNOTATION]);
  let ix = byNode.get(key);
  if (!ix) byNode.set(key, (ix = emptyMirrorIndex()));
  ix.pods.push({
    namespace: v.namespace,
    pod: v.name,
    ...(v.uid ? { uid: v.uid } : {}),
    ...(hash ? { hash } : {}),
    ownedByNode: nodeOwner !== undefined && (v.node === undefined || str(nodeOwner.name) === v.node),
  });
  ix.names.add(`${v.namespace}/${v.name}`);
  if (hash) ix.hashes.add(hash);
  if (v.uid) ix.uids.add(v.uid);
  return true;
}

/** The mirror index of one node: its own mirrors and those with no node. */
export function mirrorIndexFor(byNode: ReadonlyMap<string, MirrorIndex>, node: string): MirrorIndex {
  const own = byNode.get(node);
  const anyNode = byNode.get('');
  if (!anyNode) return own ?? emptyMirrorIndex();
  if (!own) return anyNode;
  return { pods: [...own.pods, ...anyNode.pods], names: new Set([...own.names, ...anyNode.names]), hashes: new Set([...own.hashes, ...anyNode.hashes]), uids: new Set([...own.uids, ...anyNode.uids]) };
}

/** The static pods of each node as the API server shows them: its mirror pods. */
export function mirrorPodsByNode(pods: readonly unknown[]): Map<string, MirrorPod[]> {
  const byNode = new Map<string, MirrorIndex>();
  if (!Array.isArray(pods)) return new Map();
  const n = pods.length;
  for (let i = 0; i < n; i++) indexMirrorPod(byNode, pods[i]);
  return new Map([...byNode].map(([node, ix]) => [node, ix.pods]));
}

/**
 * Pods the kubelet runs (its /pods, through the API server's node proxy) that the API server does
 * not show for that node: static pods with no mirror pod. `apiPods` is the API server's pod list
 * (any node: only this node's mirrors count) or an index of it built with indexMirrorPod.
 */
export function hiddenStaticPods(kubeletPods: readonly unknown[], apiPods: readonly unknown[] | MirrorIndex, node: string, opts: HiddenOptions = {}): HiddenStaticPod[] {
  const out: HiddenStaticPod[] = [];
  if (!Array.isArray(kubeletPods)) return out;
  let mirrors = apiPods as MirrorIndex;
  if (Array.isArray(apiPods)) {
    const byNode = new Map<string, MirrorIndex>();
    const m = apiPods.length;
    for (let i = 0; i < m; i++) indexMirrorPod(byNode, apiPods[i]);
    mirrors = mirrorIndexFor(byNode, node);
  }
  const { names: mirrorNames, hashes: mirrorHashes, uids: apiUids } = mirrors;
  const nsReasons = new NamespaceReasons(opts.namespaces);
  const n = kubeletPods.length;
  for (let i = 0; i < n; i++) {
    const v = view(kubeletPods[i]);
    if (!v || !isStatic(v)) continue;
    const hash = str(v.annotations[HASH_ANNOTATION]) ?? v.uid;
    const shown = mirrorNames.has(`${v.namespace}/${v.name}`) || (hash !== undefined && mirrorHashes.has(hash)) || (v.uid !== undefined && apiUids.has(v.uid));
    if (shown) continue;
    const reasons: string[] = [];
    const nsReason = nsReasons.reason(v.namespace);
    if (nsReason) reasons.push(nsReason);
    const refs = nodeRestrictionRefs(v.spec);
    if (refs.length > 0) {
      reasons.push(`it references ${refs.join(', ')}: NodeRestriction lets a node create only mirror pods that reference no ServiceAccount, Secret, ConfigMap, ClusterTrustBundle or PersistentVolumeClaim (plugin/pkg/admission/noderestriction, admitPodCreate), yet the kubelet runs the static pod anyway`);
    }
    if (!v.name.endsWith(`-${node}`)) reasons.push(`its name does not end in -${node}, so it did not come from this kubelet's static pod path or URL under this node name`);
    if (reasons.length === 0) reasons.push('no cause visible in the pod: the mirror may have been deleted and not yet recreated, or the API server refused it (the Node object missing or replaced, an admission webhook); check the kubelet log for "Failed creating a mirror pod"');
    const source = v.annotations[SOURCE_ANNOTATION];
    const bypass = bypassPods([kubeletPods[i]], opts).map((f) => ({ ...f, node }));
    const severity = bypass.some((f) => f.severity === 'critical') ? 'critical' : 'high';
    out.push({
      namespace: v.namespace,
      pod: v.name,
      node,
      ...(source ? { source } : {}),
      ...(hash ? { hash } : {}),
      severity,
      reasons,
      detail: `the kubelet on ${node} runs the static pod ${v.namespace}/${v.name}${source ? ` (from ${source === 'http' ? 'its staticPodURL' : 'its static pod folder'})` : ''}, but the API server shows no mirror pod for it: it is invisible to kubectl, admission and audit; ${reasons.join('; ')}`,
      bypass,
    });
  }
  return out;
}

// ---- podSecurityGaps ----------------------------------------------------------------------------------

export type PsaLevel = 'privileged' | 'baseline' | 'restricted';

export interface PodSecurityGap {
  namespace: string;
  /** the enforce label as written; undefined when absent */
  label?: string;
  /** the level seen: the label's, or the assumed default when absent */
  level: PsaLevel;
  /** how the level was arrived at */
  basis: 'label' | 'default';
  severity: WorkloadSeverity;
  detail: string;
}

const LEVELS: readonly string[] = ['privileged', 'baseline', 'restricted'];
const PSA_PREFIX = 'pod-security.kubernetes.io/';

/**
 * Namespaces where Pod Security admission does not enforce at least baseline. An enforce label that
 * is no level is evaluated as restricted (api/helpers.go ParseLevel: "if level does not match one of
 * those strings, "restricted" and an error is returned"): not a gap — podSecurityLabelErrors reports it.
 */
export function podSecurityGaps(namespaces: readonly unknown[]): PodSecurityGap[] {
  const out: PodSecurityGap[] = [];
  if (!Array.isArray(namespaces)) return out;
  const n = namespaces.length;
  for (let i = 0; i < n; i++) {
    const meta = obj(obj(namespaces[i])?.metadata);
    const name = str(meta?.name);
    if (!meta || !name) continue;
    const labels = strMap(meta.labels);
    const label = labels[PSA_ENFORCE_LABEL];
    if (label === undefined) {
      out.push({
        namespace: name,
        level: 'privileged',
        basis: 'default',
        severity: 'high',
        detail: `namespace ${name} has no ${PSA_ENFORCE_LABEL} label: Pod Security admission enforces the cluster default there, which is privileged (nothing enforced) unless the API server's admission configuration sets a default; privileged, hostPID and hostPath pods are admitted`,
      });
    } else if (label === 'privileged') {
      out.push({
        namespace: name,
        label,
        level: 'privileged',
        basis: 'label',
        severity: 'high',
        detail: `namespace ${name} enforces the privileged level: Pod Security admission admits privileged, hostPID and hostPath pods there`,
      });
    }
  }
  return out;
}

export interface PodSecurityLabelError {
  namespace: string;
  /** the label, e.g. pod-security.kubernetes.io/enforce */
  label: string;
  /** its value as written (cut to 100 characters) */
  value: string;
  /** what Pod Security evaluates instead */
  evaluatedAs: string;
  severity: 'medium' | 'low';
  detail: string;
}

const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/**
 * Pod Security labels that do not parse, and what Pod Security admission evaluates instead
 * (staging/src/k8s.io/pod-security-admission/api/helpers.go PolicyToEvaluate): an enforce level
 * that is no level is enforced as "restricted" (ParseLevel); an audit or warn level as "privileged"
 * ("Fail open for audit" / "for warn": they are silently off); a version that is not "latest" or
 * v1.N as "latest" (ParseVersion). admission.go ValidateNamespace refuses such labels when a
 * namespace is created or its labels change, so one that exists predates Pod Security admission
 * (or was set while it was off).
 */
export function podSecurityLabelErrors(namespaces: readonly unknown[]): PodSecurityLabelError[] {
  const out: PodSecurityLabelError[] = [];
  if (!Array.isArray(namespaces)) return out;
  for (let i = 0; i < namespaces.length; i++) {
    const meta = obj(obj(namespaces[i])?.metadata);
    const name = str(meta?.name);
    if (!meta || !name) continue;
    const labels = strMap(meta.labels);
    for (const mode of ['enforce', 'audit', 'warn'] as const) {
      const level = labels[`${PSA_PREFIX}${mode}`];
      if (level !== undefined && !LEVELS.includes(level)) {
        const as = mode === 'enforce' ? 'restricted' : 'privileged';
        const shown = JSON.stringify(level.slice(0, 100));
        out.push({
          namespace: name, label: `${PSA_PREFIX}${mode}`, value: level.slice(0, 100), evaluatedAs: as,
          severity: mode === 'enforce' ? 'low' : 'medium',
          detail: `namespace ${name} has ${PSA_PREFIX}${mode}=${shown}, which is not privileged, baseline or restricted: Pod Security admission ${mode === 'enforce' ? 'enforces restricted there (stricter than any level a typo meant: pods that are not restricted are refused)' : `evaluates ${mode} as privileged there (fails open): no ${mode === 'audit' ? 'audit annotation' : 'warning'} is ever given`}`,
        });
      }
      const version = labels[`${PSA_PREFIX}${mode}-version`];
      if (version !== undefined && version !== 'latest' && !VERSION.test(version)) {
        out.push({
          namespace: name, label: `${PSA_PREFIX}${mode}-version`, value: version.slice(0, 100), evaluatedAs: 'latest', severity: 'low',
          detail: `namespace ${name} has ${PSA_PREFIX}${mode}-version=${JSON.stringify(version.slice(0, 100))}, which is not "latest" or v1.N: Pod Security admission evaluates ${mode} with the latest policy version`,
        });
      }
    }
  }
  return out;
}

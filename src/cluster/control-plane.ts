// `kubelet-guard cluster`: the control plane's flags where the API server shows them, as the pods
// of kube-system (kubeadm, RKE2 and the like run kube-apiserver and etcd as static pods, whose
// mirror pods carry the full command line). Pure: the caller lists the pods.
//
// Each pod is read with the static pod decoder (JSON is YAML; the decoder redacts secret flag
// values and keeps only etcd's ETCD_* variables), its components are found and parsed exactly as
// the node audit finds and parses them (detectComponents, fromManifest), and the node audit's
// 'control-plane' and 'etcd' checks run over one NodeFacts per node. There is no file and no line:
// a component's `file` names the pod (`pod kube-system/kube-apiserver-cp-1`), and a fix says
// where the change really goes (the manifest on the node for a mirror pod, the owner otherwise).
//
// Every check of those sections reads only the flags and the pod's hostPath volumes, except
// etcd-unique-ca, which compares certificate files by fingerprint: through the API it can still
// fail (no --trusted-ca-file, or the cluster CA's own path) but never pass, so it stays unknown
// otherwise and says to audit the node. A check added to those sections must be reviewed here
// (the test pins the list): one that reads facts.files, facts.listeners or certificates would see
// nothing through the API.
//
// No control-plane pod (EKS, GKE, AKS, a control plane run by systemd): one not-applicable
// finding. An API server but no etcd pod: etcd is external, one not-applicable etcd finding with
// the API servers' --etcd-servers as evidence. The pods not listed: one unknown finding.
// Malformed input never throws.
import path from 'node:path';
import { NODE_CHECKS } from '../checks/index.ts';
import { runChecks } from '../checks/run.ts';
import { SECTIONS, type Check, type Evidence, type Finding } from '../checks/types.ts';
import { defaultEvidence, flagEvidence } from '../checks/control-plane/common.ts';
import type { ComponentFacts, ComponentName, ManifestFact, NodeFacts, PodFact } from '../facts/types.ts';
import { COMPONENTS, fromManifest, sliceFlag } from '../sources/control-plane.ts';
import { decodeManifest, MAX_MANIFEST_BYTES } from '../sources/static-pods.ts';

/** The node audit's checks that run on control-plane pods (the test pins this list). */
export const CONTROL_PLANE_CHECKS: readonly Check[] = NODE_CHECKS.filter((c) => c.meta.section === 'control-plane' || c.meta.section === 'etcd');

export const VISIBLE_CHECK = 'control-plane-visible';
export const VISIBLE_TITLE = "The control plane's flags are visible as pods in kube-system";
export const ETCD_VISIBLE_CHECK = 'etcd-visible';
export const ETCD_VISIBLE_TITLE = "etcd's flags are visible as pods in kube-system";

/** At most this many list items are looked at (a cluster holds at most 150,000 pods). */
export const MAX_PODS = 200_000;
/** At most this many control-plane pods are decoded and audited. */
export const MAX_CONTROL_PLANE_PODS = 1_000;

const NAMESPACE = 'kube-system';
const MIRROR = 'kubernetes.io/config.mirror';
const SOURCE = 'kubernetes.io/config.source';
const NOW = '1970-01-01T00:00:00.000Z'; // no check of these sections reads the clock
const UNIQUE_CA = 'etcd-unique-ca';

/** A control-plane pod of kube-system as read from the API. */
interface SeenPod {
  node: string;
  /** `pod kube-system/kube-apiserver-cp-1`: the component's `file`, and the finding's subject after the node */
  label: string;
  manifest?: ManifestFact;
  components: ComponentFacts[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isComponent = (s: string | undefined): s is ComponentName => s !== undefined && (COMPONENTS as readonly string[]).includes(s);

function finding(f: Omit<Finding, 'cis' | 'evidence'> & { evidence?: Evidence[] }): Finding {
  return { cis: [], evidence: [], ...f };
}

/**
 * The findings of the API-server and etcd flag checks on the control-plane pods of kube-system
 * (the items of GET /api/v1/namespaces/kube-system/pods, or of all pods), or the one finding that
 * says why there are none. Subjects start with the node name. Never throws.
 */
export function controlPlaneFindings(kubeSystemPods: readonly unknown[] | { error: string }): Finding[] {
  try {
    return audit(kubeSystemPods);
  } catch (e) {
    return [finding({ check: VISIBLE_CHECK, title: VISIBLE_TITLE, section: 'control-plane', status: 'unknown', severity: 'high', message: `internal error while reading the control-plane pods: ${(e as Error)?.message ?? String(e)}` })];
  }
}

function audit(input: readonly unknown[] | { error: string }): Finding[] {
  if (!Array.isArray(input)) {
    const error = str(obj(input)?.['error']) ?? 'not a list of pods';
    return [finding({
      check: VISIBLE_CHECK, title: VISIBLE_TITLE, section: 'control-plane', status: 'unknown', severity: 'high',
      message: `the pods of ${NAMESPACE} could not be listed (${error}): the API-server and etcd flag checks read the control-plane pods there and need permission to \`list pods\` in the ${NAMESPACE} namespace`,
    })];
  }
  const out: Finding[] = [];
  const limits: string[] = [];
  if (input.length > MAX_PODS) limits.push(`the list holds ${input.length} items; only the first ${MAX_PODS} were looked at`);
  const seen: SeenPod[] = [];
  const labels = new Set<string>();
  let candidates = 0;
  for (let i = 0; i < Math.min(input.length, MAX_PODS); i++) {
    const pod = candidate(input[i]);
    if (!pod) continue;
    if (++candidates > MAX_CONTROL_PLANE_PODS) continue;
    const label = `pod ${pod.namespace}/${pod.name}`;
    if (labels.has(label)) continue; // one object per name; a repeat is garbage
    labels.add(label);
    const s = read(pod, label);
    if (s.components.length > 0) seen.push(s);
  }
  if (candidates > MAX_CONTROL_PLANE_PODS) limits.push(`${candidates} pods look like control-plane components; only the first ${MAX_CONTROL_PLANE_PODS} were audited`);
  if (limits.length > 0) {
    out.push(finding({ check: VISIBLE_CHECK, title: VISIBLE_TITLE, section: 'control-plane', status: 'unknown', severity: 'high', message: `the control-plane pods were not all audited: ${limits.join('; ')}` }));
  }

  const all = seen.flatMap((s) => s.components);
  const apiServers = seen.filter((s) => s.components.some((c) => c.name === 'kube-apiserver'));
  if (apiServers.length === 0) {
    const others = [...new Set(all.map((c) => c.name))];
    out.push(finding({
      check: VISIBLE_CHECK, title: VISIBLE_TITLE, section: 'control-plane', status: 'not-applicable', severity: 'info',
      message: others.length === 0
        ? `the control plane is not visible as pods in ${NAMESPACE} (a managed cluster such as EKS, GKE or AKS, or a control plane run outside pods): its flags cannot be audited from the API; audit control-plane nodes with \`kubelet-guard node\``
        : `kube-apiserver is not visible as a pod in ${NAMESPACE} (only ${others.join(', ')}): it runs outside pods, so its flags cannot be audited from the API; audit control-plane nodes with \`kubelet-guard node\``,
    }));
  } else if (!all.some((c) => c.name === 'etcd')) {
    out.push(externalEtcd(apiServers));
  }

  const byNode = new Map<string, SeenPod[]>();
  for (const s of seen) byNode.set(s.node, [...(byNode.get(s.node) ?? []), s]);
  for (const node of [...byNode.keys()].sort()) {
    const pods = byNode.get(node)!;
    const components = pods.flatMap((s) => s.components);
    const checks = CONTROL_PLANE_CHECKS.filter((c) => (c.meta.section === 'control-plane' ? components.some((x) => x.name === 'kube-apiserver') : components.some((x) => x.name === 'etcd')));
    if (checks.length === 0) continue; // only a scheduler or controller manager: no check of these sections judges them
    const byLabel = new Map(pods.map((s) => [s.label, s]));
    for (const f of runChecks(checks, nodeFacts(node, pods))) out.push(adapt(f, node, f.subject ? byLabel.get(f.subject) : undefined));
  }
  const order = Object.keys(SECTIONS);
  return out.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section)); // stable
}

/** Whether a pod is one controlPlaneFindings would audit: lets a caller streaming every pod of the cluster keep only these. */
export function isControlPlaneCandidate(item: unknown): boolean {
  return candidate(item) !== undefined;
}

/** A kube-system pod bound to a node that looks like a control-plane component, else undefined. */
function candidate(item: unknown): { p: Obj; meta: Obj; spec: Obj; name: string; namespace: string; node: string; guess: ComponentName } | undefined {
  const p = obj(item);
  if (!p) return undefined;
  const meta = obj(p['metadata']) ?? {};
  const spec = obj(p['spec']);
  if (!spec) return undefined;
  const namespace = meta['namespace'] === undefined ? NAMESPACE : str(meta['namespace']);
  if (namespace !== NAMESPACE) return undefined;
  const node = str(spec['nodeName']);
  if (!node || node.length > 253 || /[\u0000-\u001f\u007f]/.test(node)) return undefined; // not scheduled: runs nowhere
  const phase = str(obj(p['status'])?.['phase']);
  if (phase === 'Succeeded' || phase === 'Failed') return undefined; // not running: its flags are not in effect
  const guess = guessComponent(spec, obj(meta['labels']));
  if (!guess) return undefined;
  const name = str(meta['name']) ?? '';
  return { p, meta, spec, name: name === '' ? '(unnamed)' : name.slice(0, 253), namespace, node, guess };
}

/** What detectComponents will find, judged cheaply on the raw object: a regular container's command[0] basename, else the component label. */
function guessComponent(spec: Obj, labels: Obj | undefined): ComponentName | undefined {
  const containers = Array.isArray(spec['containers']) ? (spec['containers'] as unknown[]) : [];
  for (const c of containers) {
    const cmd = obj(c)?.['command'];
    const first = Array.isArray(cmd) ? str(cmd[0]) : undefined;
    const base = first === undefined ? undefined : path.posix.basename(first);
    if (isComponent(base)) return base;
  }
  const label = str(labels?.['component']);
  return isComponent(label) ? label : undefined;
}

function read(pod: NonNullable<ReturnType<typeof candidate>>, label: string): SeenPod {
  const annotations = obj(pod.meta['annotations']) ?? {};
  const owners = Array.isArray(pod.meta['ownerReferences']) ? (pod.meta['ownerReferences'] as unknown[]) : [];
  const ref = obj(owners.find((o) => obj(o)?.['controller'] === true) ?? owners[0]);
  const owner = ref && str(ref['kind']) && str(ref['name']) ? `${str(ref['kind'])}/${str(ref['name'])}` : undefined;
  const source = str(annotations[SOURCE]);
  // what the fixes need to say where a change really goes (checks/control-plane/common.ts)
  const apiPod = { node: pod.node, namespace: pod.namespace, mirror: annotations[MIRROR] !== undefined, ...(source !== undefined ? { source } : {}), ...(owner !== undefined ? { owner } : {}) };
  const s: SeenPod = { node: pod.node, label, components: [] };
  const decoded = decodePod(pod);
  if ('error' in decoded) {
    s.components = [{ name: pod.guess, from: 'manifest', file: label, flags: [], unknown: `the ${label} cannot be read: ${decoded.error}`, apiPod }];
    return s;
  }
  s.manifest = { path: label, stat: { path: label, exists: null, error: 'a pod read through the API server, not a file' }, pods: [decoded.pod] };
  s.components = fromManifest(s.manifest).map((c) => ({ ...c, apiPod }));
  return s;
}

/** The pod as the static pod decoder reads it, without the (meaningless) line numbers. */
function decodePod(pod: NonNullable<ReturnType<typeof candidate>>): { pod: PodFact } | { error: string } {
  // List items carry no apiVersion/kind; ephemeral containers (kubectl debug) are refused on
  // create by the static pod validation but may be on a running pod. Only the fields the decoder
  // reads are kept.
  const spec: Obj = {};
  for (const k of ['securityContext', 'hostNetwork', 'hostPID', 'hostIPC', 'volumes', 'containers', 'initContainers']) if (pod.spec[k] !== undefined) spec[k] = pod.spec[k];
  const doc = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod.meta['name'], namespace: pod.namespace, labels: pod.meta['labels'] }, spec };
  let json: string;
  try {
    json = JSON.stringify(doc);
  } catch (e) {
    return { error: `it cannot be serialized: ${(e as Error).message}` };
  }
  if (json.length > MAX_MANIFEST_BYTES) return { error: `its spec is ${json.length} bytes, more than the audit reads (${MAX_MANIFEST_BYTES})` };
  const d = decodeManifest(Buffer.from(json));
  if (d.error !== undefined || !d.pods[0]) return { error: d.error ?? 'no pod decoded' };
  return { pod: withoutLines(d.pods[0]) };
}

function withoutLines(p: PodFact): PodFact {
  const { line: _line, lines: _lines, ...pod } = p;
  return {
    ...pod,
    containers: p.containers.map(({ line: _l, lines: _ls, commandLines: _c, argsLines: _a, env, envFrom, ...c }) => ({
      ...c,
      ...(env ? { env: env.map(({ line: _el, ...e }) => e) } : {}),
      ...(envFrom ? { envFrom: {} } : {}),
    })),
    hostPaths: p.hostPaths.map(({ line: _hl, ...h }) => ({ ...h, mounts: h.mounts.map(({ line: _ml, ...m }) => m) })),
  };
}

/** A node as far as its control-plane pods show it: nothing of its files, processes or certificates. */
function nodeFacts(node: string, pods: SeenPod[]): NodeFacts {
  return {
    target: `the control-plane pods of node ${node} in ${NAMESPACE}, read through the API server`,
    mode: 'live',
    privileged: false,
    privilegeNote: "only the pods' specs were read through the API server: the node's files, processes, listeners and certificates were not",
    unreadable: [],
    staticPods: { path: '', manifests: pods.flatMap((s) => (s.manifest ? [s.manifest] : [])), url: '' },
    controlPlane: { components: pods.flatMap((s) => s.components), files: [], certificates: {} },
    kubelet: { dropIns: [], effective: {}, diagnostics: [] },
    files: {},
    certificates: [],
    kubeProxy: { present: false, source: 'not read through the API server' },
    now: NOW,
  };
}

/** The node's finding as the cluster report gives it: the node first in the subject; what the API cannot show, said. */
function adapt(f: Finding, node: string, pod: SeenPod | undefined): Finding {
  const out: Finding = { ...f, subject: f.subject ? `${node} ${f.subject}` : node };
  if (pod && f.check === UNIQUE_CA && f.status === 'unknown' && pod.components.some((c) => c.name === 'etcd' && !c.unknown)) {
    out.message += `; through the API server the certificate files are not read: compare them on ${node} with \`kubelet-guard node\``;
  }
  return out;
}

/** API servers visible, etcd not: it is external; their --etcd-servers say where. */
function externalEtcd(apiServers: SeenPod[]): Finding {
  const evidence: Evidence[] = [];
  const urls: string[] = [];
  let unread = 0;
  for (const s of apiServers) {
    for (const c of s.components) {
      if (c.name !== 'kube-apiserver') continue;
      if (c.unknown) {
        unread++;
        evidence.push({ file: c.file, note: `the flags of kube-apiserver on ${s.node} cannot be known: ${c.unknown}` });
        continue;
      }
      const servers = sliceFlag(c, 'etcd-servers');
      if (!servers) {
        evidence.push(defaultEvidence(c, 'etcd-servers', '', `not set on ${s.node}: the API server refuses to start without it`));
        continue;
      }
      for (const f of servers.flags) evidence.push(flagEvidence(f));
      for (const u of servers.values) if (u !== '' && !urls.includes(u)) urls.push(u);
    }
  }
  const where = urls.length > 0 ? `the API server${apiServers.length > 1 ? 's reach' : ' reaches'} it at ${urls.join(', ')} (--etcd-servers)` : unread > 0 ? "the API servers' --etcd-servers cannot be read" : 'no API server names it (--etcd-servers)';
  return finding({
    check: ETCD_VISIBLE_CHECK, title: ETCD_VISIBLE_TITLE, section: 'etcd', status: 'not-applicable', severity: 'info',
    message: `etcd is not visible as a pod in ${NAMESPACE}: it is external (its own hosts, or a managed service) or runs outside pods; ${where}. Its flags cannot be audited from the API: audit the etcd hosts with \`kubelet-guard node\``,
    evidence,
  });
}

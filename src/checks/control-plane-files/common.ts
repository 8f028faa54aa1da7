// Targets of the CIS 1.1 control-plane file checks (kube-bench cfg/cis-1.12/master.yaml): the
// static pod manifest each component was read from (1.1.1–1.1.8), etcd's data folder (1.1.11,
// 1.1.12), kubeadm's kubeconfigs (1.1.13–1.1.18: admin.conf, super-admin.conf, and the
// --kubeconfig of the scheduler and the controller manager), and everything under
// /etc/kubernetes/pki (1.1.19–1.1.21). The stat of every target is in facts.files (the
// control-plane source stat'ed them); the verdict on one file is files/file-stat.ts judgeFile.
import type { ComponentName, NodeFacts } from '../../facts/types.ts';
import { ADMIN_CONF, etcdDataDir, kubeconfigOf, PKI_DIR, SUPER_ADMIN_CONF, UNLISTED } from '../../sources/control-plane.ts';
import type { FileTarget, Targets } from '../files/file-stat.ts';
import { presence } from '../control-plane/common.ts';

const ROLE: Record<ComponentName, string> = {
  'kube-apiserver': 'API server pod specification',
  'kube-controller-manager': 'controller manager pod specification',
  'kube-scheduler': 'scheduler pod specification',
  etcd: 'etcd pod specification',
};

function dedupe(files: FileTarget[]): FileTarget[] {
  const seen = new Set<string>();
  return files.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
}

/** 1.1.1–1.1.8: the manifest a component runs from. */
export function manifestTargets(name: ComponentName): (facts: NodeFacts) => Targets {
  return (facts) => {
    const p = presence(facts, name);
    if (p.kind !== 'found') return { kind: p.kind, why: p.why };
    const files = p.components.filter((c) => c.from === 'manifest' && c.file).map((c) => ({ path: c.file!, role: `${ROLE[name]} file`, whenMissing: 'it was read a moment ago, so it may have been removed since' }));
    if (files.length === 0) {
      const pids = p.components.map((c) => c.pid).join(', ');
      return { kind: 'not-applicable', why: `${name} runs as a process (pid ${pids}) that no static pod manifest starts: there is no pod specification file; its systemd unit or start script deserves the same protection` };
    }
    return { kind: 'files', files: dedupe(files) };
  };
}

/** 1.1.11: etcd's data folder (--data-dir, through the pod's hostPath volume). */
export function dataDirTargets(facts: NodeFacts): Targets {
  const p = presence(facts, 'etcd');
  if (p.kind !== 'found') return { kind: p.kind, why: p.why };
  const files: FileTarget[] = [];
  for (const c of p.components) {
    const d = etcdDataDir(facts.staticPods, facts.controlPlane!.components, c);
    if (!d.ok) return { kind: 'unknown', why: `etcd's data folder cannot be located: ${d.why}` };
    files.push({ path: d.path, role: `etcd data folder${d.note ? `; ${d.note}` : ''}`, whenMissing: 'etcd creates it at its first start, so it may not have started yet' });
  }
  return { kind: 'files', files: dedupe(files) };
}

/** 1.1.13/1.1.14: kubeadm's admin credentials, on any control-plane node. */
export function adminConfTargets(facts: NodeFacts): Targets {
  const p = presence(facts);
  if (p.kind !== 'found') return { kind: p.kind, why: p.why };
  return {
    kind: 'files',
    files: [
      { path: ADMIN_CONF, role: 'kubeadm admin kubeconfig', whenMissing: 'kubeadm writes it on every control-plane node; other installers keep the admin credential elsewhere' },
      { path: SUPER_ADMIN_CONF, role: 'kubeadm super-admin kubeconfig (system:masters)', whenMissing: 'kubeadm 1.29 and later write it only on the node where kubeadm init ran' },
    ],
  };
}

/** 1.1.15–1.1.18: the kubeconfig of the scheduler or the controller manager. */
export function componentKubeconfigTargets(name: 'kube-scheduler' | 'kube-controller-manager'): (facts: NodeFacts) => Targets {
  return (facts) => {
    const p = presence(facts, name);
    if (p.kind !== 'found') return { kind: p.kind, why: p.why };
    const files: FileTarget[] = [];
    for (const c of p.components) {
      const k = kubeconfigOf(facts.staticPods, facts.controlPlane!.components, c);
      if (!k.ok) return { kind: 'unknown', why: `the kubeconfig of ${name} cannot be located: ${k.why}` };
      files.push({ path: k.path, role: `${name} kubeconfig${k.note ? `; ${k.note}` : ''}`, whenMissing: `${name} reads its API server credentials from it` });
    }
    return { kind: 'files', files: dedupe(files) };
  };
}

/** 1.1.19–1.1.21: the PKI folder and what is under it; `which` picks the entries (kube-bench: find -name). */
export function pkiTargets(which: (path: string, facts: NodeFacts) => boolean, role: string): (facts: NodeFacts) => Targets {
  return (facts) => {
    const p = presence(facts);
    if (p.kind !== 'found') return { kind: p.kind, why: p.why };
    const top = facts.files[PKI_DIR];
    if (!top) return { kind: 'unknown', why: `${PKI_DIR} was not examined` };
    if (top.exists === false) return { kind: 'not-applicable', why: `${PKI_DIR} does not exist: this control plane keeps its certificates elsewhere (kubeadm's folder is where CIS 1.1.19–1.1.21 look)` };
    if (top.exists === null) return { kind: 'unknown', why: `${PKI_DIR} cannot be examined: ${top.error ?? 'stat failed'}` };
    const listed = facts.controlPlane!.files.filter((f) => f === PKI_DIR || f.startsWith(`${PKI_DIR}/`));
    const files = listed
      .filter((f) => f.endsWith(UNLISTED) || which(f, facts))
      .map((f) => ({ path: f, role: f.endsWith(UNLISTED) ? 'entries that could not be listed' : role, whenMissing: 'it was listed a moment ago, so it may have been removed since' }));
    if (files.length === 0) return { kind: 'not-applicable', why: `${PKI_DIR} holds no ${role}` };
    return { kind: 'files', files };
  };
}

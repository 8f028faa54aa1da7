// CIS 2.7 (Manual): "Ensure that a unique Certificate Authority is used for etcd" (kubelet-facts
// §7: any client certificate signed by a CA etcd trusts has full access). If etcd trusts the
// cluster CA, every certificate that CA signed opens etcd: every kubelet's client certificate, so
// one compromised node reads every Secret straight from etcd, past the Node authorizer. kubeadm
// keeps a separate CA, /etc/kubernetes/pki/etcd/ca.crt. The cluster CA is the API server's
// --client-ca-file, else kubeadm's /etc/kubernetes/pki/ca.crt; "the same" is the same node path
// or a certificate the two files share (SHA-256 fingerprint). --peer-trusted-ca-file is judged too:
// a peer CA shared with the cluster lets any holder of a cluster certificate talk to etcd as a member.
import type { ComponentFacts, NodeFacts } from '../../facts/types.ts';
import { clusterCA, effective, nodePathOf } from '../../sources/control-plane.ts';
import { KUBEADM_ETCD_CA } from '../../facts/paths.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';
import { fixFlag, flagEvidence, perComponent, settingEvidence } from '../control-plane/common.ts';
import { describe, etcdSetting, isSet } from './common.ts';

export const etcdUniqueCa: Check = {
  meta: {
    id: 'etcd-unique-ca',
    title: 'etcd names a CA for client certificates (--trusted-ca-file), and neither it nor --peer-trusted-ca-file is the cluster CA',
    section: 'etcd',
    severity: 'high',
    cis: ['2.7'],
    setting: '--trusted-ca-file',
    rationale:
      "etcd gives full access to any client certificate its CA signed. If that CA is the cluster CA, every kubelet's client certificate (and every other certificate the cluster CA issued) reads and writes every Secret in etcd directly, past the API server's authorization.",
    remediation: 'Create a CA only for etcd (kubeadm: /etc/kubernetes/pki/etcd/ca.crt), sign the etcd server, peer and API-server client certificates with it, and set --trusted-ca-file and --peer-trusted-ca-file to it.',
  },
  evaluate: (facts) => perComponent(facts, 'etcd', (c) => judge(facts, c)),
};

function judge(facts: NodeFacts, c: ComponentFacts): CheckResult {
  const cp = facts.controlPlane!;
  const trusted = etcdSetting(c, 'trusted-ca-file');
  const evidence: Evidence[] = settingEvidence(c, 'trusted-ca-file', trusted, 'not set');
  if (trusted.kind === 'unknown') return { status: 'unknown', message: trusted.why, evidence };
  const ca = clusterCA(facts.staticPods, cp.components);
  if (!isSet(trusted)) {
    const choice = etcdCaChoice(facts, c, ca.ok ? ca.path : undefined);
    return {
      status: 'fail',
      message: `etcd names no CA of its own for client certificates: ${describe('trusted-ca-file', trusted)}`,
      evidence,
      remediation: 'path' in choice
        ? `${fixFlag(c, 'trusted-ca-file', `--trusted-ca-file=${choice.path}`)} ${choice.note}`
        : `Create a CA only for etcd (kubeadm init phase certs etcd-ca) and sign etcd's server certificate and the API server's etcd-client certificate with it; then: ${fixFlag(c, 'trusted-ca-file', '--trusted-ca-file=<the etcd CA file>')} (${choice.why}).`,
    };
  }
  if (!ca.ok) return { status: 'unknown', message: `the cluster CA cannot be located (${ca.how}): ${ca.why}`, evidence };
  evidence.push({ file: ca.path, note: `the cluster CA: ${ca.how}` });
  const api = cp.components.find((x) => x.name === 'kube-apiserver' && !x.unknown);
  const apiFlag = api ? effective(api, 'client-ca-file') : undefined;
  if (apiFlag) evidence.push(flagEvidence(apiFlag.flag));

  const shared: Array<{ name: string; text: string }> = [];
  const unknown: string[] = [];
  // one verdict per CA file, naming every flag that points at it
  const byPath = new Map<string, { names: string[]; words: string[] }>();
  for (const name of ['trusted-ca-file', 'peer-trusted-ca-file']) {
    const s = etcdSetting(c, name);
    if (s.kind !== 'set' || s.value === '') continue;
    if (name !== 'trusted-ca-file') evidence.push(...settingEvidence(c, name, s, ''));
    const p = nodePathOf(facts.staticPods, cp.components, c, s.value);
    if (!p.ok) {
      unknown.push(`${describe(name, s)}: ${p.why}`);
      continue;
    }
    const e = byPath.get(p.path) ?? { names: [], words: [] };
    e.names.push(name);
    e.words.push(describe(name, s));
    byPath.set(p.path, e);
  }
  for (const [p, { names, words }] of byPath) {
    const what = words.join(' and ');
    const flag = (text: string) => names.forEach((name) => shared.push({ name, text }));
    if (p === ca.path) {
      flag(`${what} ${names.length > 1 ? 'are' : 'is'} the cluster CA file ${ca.path} itself`);
      continue;
    }
    const mine = cp.certificates[p];
    const theirs = cp.certificates[ca.path];
    if (!mine) {
      unknown.push(`${p} (${what}) was not examined`);
      continue;
    }
    if (mine.error) {
      unknown.push(`${p} (${what}) cannot be used: ${mine.error}`);
      continue;
    }
    if (!theirs || theirs.error) {
      unknown.push(`the cluster CA ${ca.path} ${theirs?.error === 'missing' ? 'is not on this node' : `cannot be used: ${theirs?.error ?? 'not examined'}`}, so ${p} cannot be compared with it`);
      continue;
    }
    const a = new Set((mine.fingerprint256 ?? '').split(',').filter(Boolean));
    const both = (theirs.fingerprint256 ?? '').split(',').filter((x) => x !== '' && a.has(x));
    evidence.push({ file: p, note: `${mine.subject ?? 'certificate'} (SHA-256 ${mine.fingerprint256 ?? '?'})` });
    if (!evidence.some((e) => e.file === ca.path && e.note?.startsWith(theirs.subject ?? 'certificate'))) {
      evidence.push({ file: ca.path, note: `${theirs.subject ?? 'certificate'} (SHA-256 ${theirs.fingerprint256 ?? '?'})` });
    }
    if (both.length > 0) flag(`${what} ${names.length > 1 ? 'hold' : 'holds'} the same certificate as the cluster CA ${ca.path} (${mine.subject ?? 'same subject'}, SHA-256 ${both[0]})`);
  }
  if (shared.length > 0) {
    const choice = etcdCaChoice(facts, c, ca.path);
    const reissue = 'the etcd server, peer, healthcheck and API-server etcd-client certificates (kubeadm init phase certs etcd-server, etcd-peer, etcd-healthcheck-client, apiserver-etcd-client)';
    const remediation = 'path' in choice
      ? `${choice.note}: make sure ${reissue} are issued from it (re-issue them if not); then: ${shared.map((x) => fixFlag(c, x.name, `--${x.name}=${choice.path}`)).join(' ')} Point the API server's --etcd-cafile at the same CA.`
      : `Create a CA only for etcd (kubeadm init phase certs etcd-ca) and re-issue ${reissue} from it; then: ${shared.map((x) => fixFlag(c, x.name, `--${x.name}=<the etcd CA file>`)).join(' ')} (${choice.why}). Point the API server's --etcd-cafile at the same CA.`;
    return {
      status: 'fail',
      message: `etcd trusts the cluster CA: ${[...new Set(shared.map((x) => x.text))].join('; ')}; every certificate that CA signed (every kubelet's) opens etcd`,
      evidence,
      remediation,
    };
  }
  if (unknown.length > 0) return { status: 'unknown', message: `whether etcd's CA is the cluster CA cannot be known: ${unknown.join('; ')}`, evidence };
  return { status: 'pass', message: `etcd trusts a CA of its own: ${describe('trusted-ca-file', trusted)} is not the cluster CA ${ca.path} (${ca.how}) and shares no certificate with it`, evidence };
}

/**
 * The CA file a fix may point etcd at: kubeadm's etcd CA, only when it is on this node, is not the
 * cluster CA (no shared certificate) and the etcd container sees it at the same path; otherwise
 * why it is not named.
 */
function etcdCaChoice(facts: NodeFacts, c: ComponentFacts, clusterPath: string | undefined): { path: string; note: string } | { why: string } {
  const cp = facts.controlPlane!;
  const mine = cp.certificates[KUBEADM_ETCD_CA];
  const not = (why: string) => ({ why: `kubeadm's etcd CA ${KUBEADM_ETCD_CA} ${why}` });
  if (!mine) return not('was not examined');
  if (mine.error) return not(mine.error === 'missing' ? 'is not on this node' : `cannot be used: ${mine.error}`);
  if (clusterPath === KUBEADM_ETCD_CA) return not('is the cluster CA here');
  const theirs = clusterPath ? cp.certificates[clusterPath] : undefined;
  if (!theirs || theirs.error || !theirs.fingerprint256 || !mine.fingerprint256) return not('is on this node, but whether it is the cluster CA cannot be told');
  const a = new Set(theirs.fingerprint256.split(','));
  if (mine.fingerprint256.split(',').some((x) => a.has(x))) return not(`holds the cluster CA's certificate (${clusterPath}), so it is no CA of etcd's own`);
  const p = nodePathOf(facts.staticPods, cp.components, c, KUBEADM_ETCD_CA);
  if (!p.ok || p.path !== KUBEADM_ETCD_CA) return not(`is on this node, but the etcd container does not see it at that path (mount ${KUBEADM_ETCD_CA.replace(/\/ca\.crt$/, '')} into it)`);
  return { path: KUBEADM_ETCD_CA, note: `kubeadm's etcd CA ${KUBEADM_ETCD_CA} is on this node (${mine.subject ?? 'certificate'}) and is not the cluster CA` };
}

// CIS 1.1.12 (v1.12): "Ensure that the etcd data directory ownership is set to etcd:etcd" —
// kube-bench tests `stat -c %U:%G` against etcd:etcd, nothing else. kubeadm runs etcd as root in
// a static pod and creates no etcd account, so /var/lib/etcd is root:root there, and the CIS
// remediation (chown etcd:etcd) would fail: there is no such user (kubernetes/kubeadm#2931,
// vexxhost/magnum-cluster-api#28). The point of the rule is that only the account etcd runs as
// owns its data. So:
// - the node has an etcd user (/etc/passwd): the folder must be etcd:etcd (the etcd group, or the
//   user's primary group when there is no etcd group), as CIS says;
// - the node has no etcd user: root:root passes, and the message says that this reads CIS in
//   spirit, not to the letter (kube-bench reports FAIL); a folder owned by the uid the etcd
//   container runs as (securityContext runAsUser) passes too; any other owner fails.
// Names are read from /etc/passwd and /etc/group only (accounts from LDAP or sssd are not seen).
import type { NodeFacts } from '../../facts/types.ts';
import type { ControlPlaneFacts } from '../../facts/types.ts';
import { componentContainer } from '../../sources/control-plane.ts';
import { fileCheck, shellWord, type FileTarget } from '../files/file-stat.ts';
import type { Check, CheckResult } from '../types.ts';
import { dataDirTargets } from './common.ts';

const meta: Check['meta'] = {
  id: 'cp-file-etcd-data-dir-owner',
  title: 'The etcd data folder is owned by etcd:etcd, or, on a node with no etcd account, by root or by the uid etcd runs as',
  section: 'cis-1.1',
  severity: 'high',
  cis: ['1.1.12'],
  rationale:
    'Whoever owns the etcd data folder can read every object of the cluster in it, Secrets included, and can change its mode; it should belong to the account etcd runs as and to no one else.',
  remediation: 'chown etcd:etcd /var/lib/etcd (the folder etcd --data-dir names); on kubeadm nodes, where etcd runs as root and there is no etcd user, keep root:root.',
};

export const cpFileEtcdDataDirOwner: Check = {
  meta,
  evaluate(facts) {
    const base = fileCheck(meta, { kind: 'owner' }, dataDirTargets);
    const r = base.evaluate(facts);
    if (!Array.isArray(r)) return r;
    return r.map((x) => (x.status === 'pass' || x.status === 'fail' ? judgeOwner(facts, { path: x.subject!, role: 'etcd data folder', whenMissing: '' }, x) : x));
  },
};

function judgeOwner(facts: NodeFacts, t: FileTarget, rootJudgement: CheckResult): CheckResult {
  const st = facts.files[t.path]!;
  const uid = st.uid!;
  const gid = st.gid!;
  const subject = t.path;
  const evidence = rootJudgement.evidence ?? [];
  const cp = facts.controlPlane as ControlPlaneFacts | undefined;
  const acct = cp?.etcdAccount;
  const owner = `${uid}:${gid}`;
  const chown = (who: string) => `chown ${who} ${shellWord(t.path)}`;
  if (!acct) return { status: 'unknown', subject, message: `${t.path} is owned by ${owner}, and whether this node has an etcd account was not examined (/etc/passwd, /etc/group)`, evidence };
  if (acct.user) {
    const wantGid = acct.group?.gid ?? acct.user.gid;
    const groupWords = acct.group ? `the etcd group (${acct.group.gid})` : `the etcd user's primary group (${acct.user.gid}; /etc/group has no etcd group)`;
    if (uid === acct.user.uid && gid === wantGid) return { status: 'pass', subject, message: `${t.path} is owned by etcd (${uid}) and ${groupWords}`, evidence };
    return {
      status: 'fail',
      subject,
      message: `${t.path} is owned by ${owner}; this node has an etcd user (${acct.user.uid}), and CIS 1.1.12 wants the folder owned by etcd and ${groupWords}`,
      evidence,
      remediation: chown(acct.group ? 'etcd:etcd' : `etcd:${acct.user.gid}`),
    };
  }
  if (acct.unknown) return { status: 'unknown', subject, message: `${t.path} is owned by ${owner}, and whether this node has an etcd account cannot be known: ${acct.unknown}`, evidence };
  const runAs = etcdRunAsUsers(facts);
  if (uid === 0 && gid === 0) {
    const nonRoot = runAs.filter((u) => u !== 0);
    const how = nonRoot.length > 0
      ? `the etcd container runs as uid ${nonRoot.join(', ')} (securityContext runAsUser), but root owning its data gives no other account access`
      : 'etcd runs as root here (no runAsUser; kubeadm runs it so), so no other account owns its data';
    return {
      status: 'pass',
      subject,
      message: `${t.path} is owned by root:root and this node has no etcd user (/etc/passwd): ${how}. This reads CIS 1.1.12 in spirit; to the letter it wants etcd:etcd, and kube-bench reports FAIL`,
      evidence,
    };
  }
  if (runAs.includes(uid)) return { status: 'pass', subject, message: `${t.path} is owned by ${owner}, the uid the etcd container runs as (securityContext runAsUser ${uid}); this node has no etcd user`, evidence };
  return {
    status: 'fail',
    subject,
    message: `${t.path} is owned by ${owner}: neither root nor the account etcd runs as${runAs.length > 0 ? ` (runAsUser ${runAs.join(', ')})` : ''}, and this node has no etcd user; that owner can read every Secret in etcd's data`,
    evidence,
    remediation: runAs.length > 0 && runAs[0] !== 0 ? chown(`${runAs[0]}:${runAs[0]}`) : chown('root:root'),
  };
}

function etcdRunAsUsers(facts: NodeFacts): number[] {
  const cp = facts.controlPlane;
  if (!cp) return [];
  const out: number[] = [];
  for (const c of cp.components) {
    if (c.name !== 'etcd') continue;
    const found = componentContainer(facts.staticPods, cp.components, c);
    if (found?.container.runAsUser !== undefined) out.push(found.container.runAsUser);
  }
  return out;
}

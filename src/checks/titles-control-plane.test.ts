// A check's title is a claim: whenever a check passes, its title must be true of the facts it
// judged. For every check in the sections cis-1.1, control-plane and etcd, this runs the check
// over a set of scenarios (kubeadm's settings and near misses of each: plain listeners, defaults,
// flags absent or empty, looser modes, other owners) and, for every pass, asserts the title's
// claim computed here independently from the raw scenario; every check must pass in at least one
// scenario. A check added to these sections without a claim here fails the last test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComponentName, EtcdAccount, NodeFacts } from '../facts/types.ts';
import type { StatResult } from '../sources/root-fs.ts';
import { factsFrom } from './fixtures.ts';
import { NODE_CHECKS } from './index.ts';
import type { Check, CheckResult, Section } from './types.ts';
import { component, kubeadmArgs, withControlPlane } from './control-plane/test-support.ts';

const SECTIONS_IN_SCOPE: Section[] = ['cis-1.1', 'control-plane', 'etcd'];
const all = (r: CheckResult | CheckResult[]) => (Array.isArray(r) ? r : [r]);

// ── etcd and API-server flags as the binaries read them (last occurrence wins; a bare bool is true) ──
type Args = string[];
function flag(args: Args, name: string): string | undefined {
  let v: string | undefined;
  for (const a of args) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (m?.[1] === name) v = m[2] ?? 'true';
  }
  return v;
}
const list = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
const isTls = (u: string) => /^(https|unixs):\/\//i.test(u);
const clientUrls = (a: Args) => [...list(flag(a, 'listen-client-urls') ?? 'http://localhost:2379'), ...list(flag(a, 'listen-client-http-urls'))];
const peerUrls = (a: Args) => list(flag(a, 'listen-peer-urls') ?? 'http://localhost:2380');
const set = (a: Args, n: string) => (flag(a, n) ?? '') !== '';
const isTrue = (a: Args, n: string) => ['true', '1', 't', 'T', 'TRUE', 'True'].includes(flag(a, n) ?? 'false');
const loopback = (u: string) => /^[a-z]+:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i.test(u);
const modes = (a: Args) => {
  const given = a.filter((x) => x.startsWith('--authorization-mode=')).flatMap((x) => list(x.split('=')[1]));
  return a.some((x) => x.startsWith('--authorization-mode=')) && given.length > 0 ? given : ['AlwaysAllow'];
};
const plugins = (a: Args, n: string) => a.filter((x) => x.startsWith(`--${n}=`)).flatMap((x) => list(x.split('=')[1]));

const CLUSTER_CA = '/etc/kubernetes/pki/ca.crt';
const ETCD_CA = '/etc/kubernetes/pki/etcd/ca.crt';
const PRINTS: Record<string, string> = { [CLUSTER_CA]: 'BB:BB', [ETCD_CA]: 'AA:AA', '/etc/kubernetes/pki/etcd/copy.crt': 'BB:BB' };

/** The title of each check, as a predicate on the component flags it judged. */
const ETCD_CLAIMS: Record<string, (a: Args) => boolean> = {
  // "etcd serves every client listener over TLS, with the certificate and key --cert-file and --key-file name"
  'etcd-cert-file': (a) => set(a, 'cert-file') && set(a, 'key-file') && clientUrls(a).every(isTls),
  // "etcd requires a client certificate on every client listener, with --client-cert-auth=true"
  'etcd-client-cert-auth': (a) => isTrue(a, 'client-cert-auth') && clientUrls(a).every(isTls),
  // "etcd is not told to make a self-signed client certificate (--auto-tls is not true)"
  'etcd-auto-tls': (a) => !isTrue(a, 'auto-tls'),
  'etcd-peer-cert-file': (a) => set(a, 'peer-cert-file') && set(a, 'peer-key-file') && peerUrls(a).every(isTls),
  'etcd-peer-client-cert-auth': (a) => isTrue(a, 'peer-client-cert-auth') && peerUrls(a).every(isTls),
  'etcd-peer-auto-tls': (a) => !isTrue(a, 'peer-auto-tls'),
  // "etcd names a CA for client certificates (--trusted-ca-file), and neither it nor --peer-trusted-ca-file is the cluster CA"
  'etcd-unique-ca': (a) => set(a, 'trusted-ca-file') && ['trusted-ca-file', 'peer-trusted-ca-file'].every((n) => !set(a, n) || (flag(a, n) !== CLUSTER_CA && PRINTS[flag(a, n)!] !== PRINTS[CLUSTER_CA])),
  'etcd-client-plain-http': (a) => clientUrls(a).every(isTls),
  // "etcd's separate metrics listener (--listen-metrics-urls), if any, is not plain http on a network address"
  'etcd-metrics-plain-http': (a) => list(flag(a, 'listen-metrics-urls')).every((u) => !/^http:/i.test(u) || loopback(u)),
};

const ETCD_SCENARIOS: Args[] = [
  kubeadmArgs('etcd', {}),
  kubeadmArgs('etcd', { 'listen-client-urls': 'http://127.0.0.1:2379' }),
  kubeadmArgs('etcd', { 'listen-client-urls': 'https://127.0.0.1:2379,http://192.168.0.150:2379' }),
  kubeadmArgs('etcd', { 'listen-client-urls': 'unix://localhost:2379' }),
  kubeadmArgs('etcd', { 'listen-client-urls': null }),
  kubeadmArgs('etcd', { 'listen-client-http-urls': 'http://127.0.0.1:2382' }),
  kubeadmArgs('etcd', { 'advertise-client-urls': 'http://192.168.0.150:2379' }),
  kubeadmArgs('etcd', { 'cert-file': null }),
  kubeadmArgs('etcd', { 'key-file': '' }),
  kubeadmArgs('etcd', { 'client-cert-auth': null }),
  kubeadmArgs('etcd', { 'client-cert-auth': 'false', 'trusted-ca-file': null }),
  kubeadmArgs('etcd', { 'auto-tls': 'true' }),
  kubeadmArgs('etcd', { 'auto-tls': 'true', 'cert-file': null, 'key-file': null }),
  kubeadmArgs('etcd', { 'listen-peer-urls': 'http://192.168.0.150:2380' }),
  kubeadmArgs('etcd', { 'listen-peer-urls': null }),
  kubeadmArgs('etcd', { 'peer-client-cert-auth': null }),
  kubeadmArgs('etcd', { 'peer-cert-file': null }),
  kubeadmArgs('etcd', { 'peer-auto-tls': 'true' }),
  kubeadmArgs('etcd', { 'trusted-ca-file': null }),
  kubeadmArgs('etcd', { 'trusted-ca-file': CLUSTER_CA }),
  kubeadmArgs('etcd', { 'peer-trusted-ca-file': '/etc/kubernetes/pki/etcd/copy.crt' }),
  kubeadmArgs('etcd', { 'listen-metrics-urls': 'http://0.0.0.0:2381' }),
  kubeadmArgs('etcd', { 'listen-metrics-urls': 'https://0.0.0.0:2381' }),
  kubeadmArgs('etcd', { 'listen-metrics-urls': null }),
];

const API_CLAIMS: Record<string, (a: Args) => boolean> = {
  // "The API server rejects anonymous requests": off by flag, or turned off by an AlwaysAllow chain (ApplyAuthorization)
  'apiserver-anonymous-auth': (a) => flag(a, 'anonymous-auth') === 'false' || modes(a).includes('AlwaysAllow'),
  'apiserver-kubelet-client-cert': (a) => set(a, 'kubelet-client-certificate') && set(a, 'kubelet-client-key'),
  'apiserver-kubelet-certificate-authority': (a) => set(a, 'kubelet-certificate-authority'),
  'apiserver-authorization-not-always-allow': (a) => !modes(a).includes('AlwaysAllow'),
  'apiserver-authorization-node': (a) => modes(a).includes('Node'),
  'apiserver-authorization-rbac': (a) => modes(a).includes('RBAC'),
  'apiserver-node-restriction': (a) =>
    plugins(a, 'admission-control').includes('NodeRestriction') || (plugins(a, 'enable-admission-plugins').includes('NodeRestriction') && !plugins(a, 'disable-admission-plugins').includes('NodeRestriction')),
};

const API_SCENARIOS: Args[] = [
  kubeadmArgs('kube-apiserver', {}),
  kubeadmArgs('kube-apiserver', { 'anonymous-auth': 'false' }),
  kubeadmArgs('kube-apiserver', { 'anonymous-auth': 'false', 'kubelet-certificate-authority': CLUSTER_CA }),
  kubeadmArgs('kube-apiserver', { 'authorization-mode': null }),
  kubeadmArgs('kube-apiserver', { 'authorization-mode': '' }),
  kubeadmArgs('kube-apiserver', { 'authorization-mode': 'RBAC' }),
  kubeadmArgs('kube-apiserver', { 'authorization-mode': 'Node,RBAC,AlwaysAllow' }),
  kubeadmArgs('kube-apiserver', { 'kubelet-client-key': null }),
  kubeadmArgs('kube-apiserver', { 'kubelet-client-certificate': '' }),
  kubeadmArgs('kube-apiserver', { 'kubelet-certificate-authority': '' }),
  kubeadmArgs('kube-apiserver', { 'enable-admission-plugins': null }),
  kubeadmArgs('kube-apiserver', { 'disable-admission-plugins': 'NodeRestriction' }),
  [...kubeadmArgs('kube-apiserver', { 'enable-admission-plugins': null }), '--admission-control=NodeRestriction'],
];

function cpFacts(name: ComponentName, args: Args): NodeFacts {
  const certificates = Object.fromEntries(Object.entries(PRINTS).map(([p, f]) => [p, { fingerprint256: f, subject: 'CN=x' }]));
  const pki = { volume: 'pki', path: '/etc/kubernetes/pki', mounts: [{ container: 'etcd', mountPath: '/etc/kubernetes/pki', readOnly: true }] };
  return factsFrom({ patch: withControlPlane({ components: [component(name, args)], certificates, hostPaths: { etcd: [pki] } }) });
}

// ── CIS 1.1 files: the title names the rule (mode NNN or stricter, owned by root:root) ──
const FILES = [
  '/etc/kubernetes/manifests/kube-apiserver.yaml', '/etc/kubernetes/manifests/kube-controller-manager.yaml', '/etc/kubernetes/manifests/kube-scheduler.yaml', '/etc/kubernetes/manifests/etcd.yaml',
  '/var/lib/etcd', '/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf', '/etc/kubernetes/scheduler.conf', '/etc/kubernetes/controller-manager.conf',
  '/etc/kubernetes/pki', '/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/pki/ca.key', '/etc/kubernetes/pki/etcd/ca.key', '/etc/kubernetes/pki/sa.pub',
];
const STATS: Array<Partial<StatResult>> = [
  { mode: 0o600, uid: 0, gid: 0 }, { mode: 0o400, uid: 0, gid: 0 }, { mode: 0o644, uid: 0, gid: 0 }, { mode: 0o640, uid: 1000, gid: 0 },
  { mode: 0o700, uid: 998, gid: 997 }, { mode: 0o755, uid: 0, gid: 1000 }, { mode: 0o4600, uid: 0, gid: 0 }, { mode: 0o700, uid: 2000, gid: 2000 },
];
const ACCOUNTS: Array<{ acct: EtcdAccount; runAs?: number }> = [{ acct: {} }, { acct: { user: { uid: 998, gid: 997 }, group: { gid: 997 } } }, { acct: {}, runAs: 2000 }];

function filesFacts(st: Partial<StatResult>, acct: EtcdAccount, runAs?: number): NodeFacts {
  const components = (['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const).map((n) => component(n));
  const files = Object.fromEntries(FILES.map((p) => [p, { ...st, type: p === '/var/lib/etcd' || p === '/etc/kubernetes/pki' ? ('dir' as const) : ('file' as const) }]));
  return factsFrom({
    patch: (f) => {
      withControlPlane({ components, files, etcdAccount: acct })(f);
      if (runAs !== undefined) for (const m of f.staticPods!.manifests) for (const p of m.pods) for (const c of p.containers) if (c.name === 'etcd') c.runAsUser = runAs;
    },
  });
}

/** The claim a CIS 1.1 title makes about one file's stat, read from the title itself. */
function fileClaim(check: Check, st: Partial<StatResult>, acct: EtcdAccount, runAs?: number): boolean {
  const t = check.meta.title;
  const mode = /mode (\d{3}) or stricter/.exec(t);
  if (mode) return (st.mode! & ~parseInt(mode[1]!, 8)) === 0;
  if (check.meta.id === 'cp-file-etcd-data-dir-owner') {
    // "owned by etcd:etcd, or, on a node with no etcd account, by root or by the uid etcd runs as"
    if (acct.user) return st.uid === acct.user.uid && st.gid === (acct.group?.gid ?? acct.user.gid);
    return (st.uid === 0 && st.gid === 0) || (runAs !== undefined && st.uid === runAs);
  }
  if (/owned by root:root/.test(t)) return st.uid === 0 && st.gid === 0;
  throw new Error(`no claim read from the title of ${check.meta.id}: ${t}`);
}

const inScope = NODE_CHECKS.filter((c) => SECTIONS_IN_SCOPE.includes(c.meta.section));

test('etcd: every pass makes the title true, and each check passes somewhere', () => {
  for (const check of inScope.filter((c) => c.meta.section === 'etcd')) {
    const claim = ETCD_CLAIMS[check.meta.id]!;
    let passes = 0;
    for (const args of ETCD_SCENARIOS) {
      for (const r of all(check.evaluate(cpFacts('etcd', args)))) {
        if (r.status !== 'pass') continue;
        passes++;
        assert.ok(claim(args), `${check.meta.id} passed but "${check.meta.title}" is false for ${args.join(' ')}: ${r.message}`);
      }
    }
    assert.ok(passes > 0, `${check.meta.id} never passes`);
  }
});

test('API server: every pass makes the title true, and each check passes somewhere', () => {
  for (const check of inScope.filter((c) => c.meta.section === 'control-plane')) {
    const claim = API_CLAIMS[check.meta.id]!;
    let passes = 0;
    for (const args of API_SCENARIOS) {
      for (const r of all(check.evaluate(cpFacts('kube-apiserver', args)))) {
        if (r.status !== 'pass') continue;
        passes++;
        assert.ok(claim(args), `${check.meta.id} passed but "${check.meta.title}" is false for ${args.join(' ')}: ${r.message}`);
      }
    }
    assert.ok(passes > 0, `${check.meta.id} never passes`);
  }
});

test('CIS 1.1: every file that passes has the mode or owner the title names, and each check passes somewhere', () => {
  for (const check of inScope.filter((c) => c.meta.section === 'cis-1.1')) {
    let passes = 0;
    for (const st of STATS) {
      for (const { acct, runAs } of ACCOUNTS) {
        for (const r of all(check.evaluate(filesFacts(st, acct, runAs)))) {
          if (r.status !== 'pass') continue;
          passes++;
          assert.ok(fileClaim(check, st, acct, runAs), `${check.meta.id} passed ${r.subject} but "${check.meta.title}" is false for ${JSON.stringify(st)}: ${r.message}`);
        }
      }
    }
    assert.ok(passes > 0, `${check.meta.id} never passes`);
  }
});

test('every check of cis-1.1, control-plane and etcd has its title claim here', () => {
  const missing = inScope.filter((c) => c.meta.section === 'cis-1.1' ? !/mode \d{3} or stricter|owned by/.test(c.meta.title) : !(c.meta.id in ETCD_CLAIMS || c.meta.id in API_CLAIMS)).map((c) => c.meta.id);
  assert.deepEqual(missing, [], 'add a claim (what the title says, computed from the scenario) for these checks');
  assert.ok(inScope.length >= 35, `${inScope.length} checks in scope`);
});

// Where a setting's change goes, case by case of the kubelet's precedence (kubelet-facts §5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../checks/fixtures.ts';
import { lastDropIn, proposeSetting } from './propose-setting.ts';

const CONFIG = '/var/lib/kubelet/config.yaml';
const HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('set by a flag: the flag where it is written, never the config file (the flag would win)', () => {
  const f = factsFrom({ config: `${HEAD}readOnlyPort: 0\n`, flags: ['--config=/var/lib/kubelet/config.yaml', '--read-only-port=10255'] });
  assert.deepEqual(proposeSetting(f, 'readOnlyPort', 0), { fixes: [{ kind: 'flag-set', file: '/etc/default/kubelet', line: 1, flag: 'read-only-port', from: '--read-only-port=10255', to: '--read-only-port=0' }] });
});

test("a flag whose wanted value is its default is removed ('' for flagWant)", () => {
  const f = factsFrom({ flags: ['--hostname-override=evil'] });
  const p = proposeSetting(f, '--hostname-override', '', '');
  assert.deepEqual(p, { fixes: [{ kind: 'flag-set', file: '/etc/default/kubelet', line: 1, flag: 'hostname-override', from: '--hostname-override=evil', to: null }] });
});

test('set in the config file: that key, at its line', () => {
  const f = factsFrom({ config: `${HEAD}readOnlyPort: 10255\n` });
  assert.deepEqual(proposeSetting(f, 'readOnlyPort', 0), { fixes: [{ kind: 'config-set', file: CONFIG, path: ['readOnlyPort'], value: 0, line: 3 }] });
});

test('set by a drop-in: that drop-in, never the config file it overrides', () => {
  const f = factsFrom({ config: `${HEAD}readOnlyPort: 0\n`, dropIns: [`${HEAD}readOnlyPort: 10255\n`] });
  const p = proposeSetting(f, 'readOnlyPort', 0);
  assert.ok('fixes' in p);
  assert.equal(p.fixes[0]!.kind, 'config-set');
  assert.equal(p.fixes[0]!.file, '/etc/kubernetes/kubelet.conf.d/10.conf');
});

test('nested settings: the path is the v1beta1 JSON path, split', () => {
  const f = factsFrom({ config: HEAD });
  const p = proposeSetting(f, 'authentication.anonymous.enabled', false);
  assert.deepEqual(p, { fixes: [{ kind: 'config-set', file: CONFIG, path: ['authentication', 'anonymous', 'enabled'], value: false }] });
});

test('no --config: the flag, added after the command line\'s last word where that word is written', () => {
  const f = factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] });
  assert.deepEqual(proposeSetting(f, 'readOnlyPort', 0), { fixes: [{ kind: 'flag-add', file: '/etc/default/kubelet', line: 1, after: '--kubeconfig=/etc/kubernetes/kubelet.conf', flag: 'read-only-port', text: '--read-only-port=0' }] });
});

test('no --config and no flag for the setting: no proposal, and why (a new config file changes every default)', () => {
  const f = factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] });
  const p = proposeSetting(f, 'enableSystemLogHandler', false);
  assert.ok('noFix' in p);
  assert.match(p.noFix, /no --config file and enableSystemLogHandler has no flag/);
});

test('no --config but a --config-dir: a new drop-in named to be applied last', () => {
  const f = factsFrom({ flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'], patch: (x) => (x.kubelet.configDir = '/etc/kubernetes/kubelet.conf.d') });
  const p = proposeSetting(f, 'enableSystemLogHandler', false);
  assert.ok('fixes' in p);
  assert.deepEqual(p.fixes.map((x) => x.kind), ['dropin-create', 'config-set']);
  assert.equal(p.fixes[0]!.file, '/etc/kubernetes/kubelet.conf.d/99-kubelet-guard.conf');
});

test('the new drop-in sorts after every existing one, bytewise', () => {
  assert.equal(lastDropIn('/d/', ['/d/10.conf', '/d/90-x.conf']), '/d/99-kubelet-guard.conf');
  assert.equal(lastDropIn('/d', ['/d/99-zz.conf']), '/d/zz-kubelet-guard.conf');
  assert.equal(lastDropIn('/d', ['/d/zzz.conf']), '/d/~kubelet-guard.conf');
  assert.equal(lastDropIn('/d', ['/d/~~.conf']), '/d/~~kubelet-guard.conf');
});

test('unknown evidence: no proposal, and why', () => {
  const p = proposeSetting(factsFrom({ missing: 'no kubelet' }), 'readOnlyPort', 0);
  assert.ok('noFix' in p);
  assert.match(p.noFix, /cannot be known/);
});

test('a flag only on the running process (no file): no proposal, and why', () => {
  const f = factsFrom({ flags: ['--read-only-port=10255'], patch: (x) => {
    const s = x.kubelet.effective.readOnlyPort!;
    delete s.source.file;
    delete s.source.line;
  } });
  const p = proposeSetting(f, 'readOnlyPort', 0);
  assert.ok('noFix' in p);
  assert.match(p.noFix, /running kubelet's command line/);
});

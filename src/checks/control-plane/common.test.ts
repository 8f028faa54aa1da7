import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import { componentFromArgs } from '../../sources/control-plane.ts';
import { fixFlag, presence } from './common.ts';
import { component, withControlPlane } from './test-support.ts';

test('presence: offline, a systemd unit that would start etcd makes its absence unknown', () => {
  const f = factsFrom({ patch: withControlPlane({ components: [], files: { '/etc/systemd/system/etcd.service': {} } }) });
  const p = presence(f, 'etcd');
  assert.equal(p.kind, 'unknown');
  assert.match(p.kind === 'unknown' ? p.why : '', /\/etc\/systemd\/system\/etcd\.service would start etcd/);
  assert.equal(presence(f, 'kube-apiserver').kind, 'not-applicable');
});

test('presence: an unreadable manifest may hold the component; no control-plane evidence at all is unknown', () => {
  const f = factsFrom({
    patch: withControlPlane({ components: [], staticPods: { manifests: [{ path: '/etc/kubernetes/manifests/x.yaml', stat: { path: '/etc/kubernetes/manifests/x.yaml', exists: true }, error: 'EACCES: permission denied', pods: [] }] } }),
  });
  assert.equal(presence(f, 'kube-apiserver').kind, 'unknown');
  assert.equal(presence(factsFrom({}), 'etcd').kind, 'unknown');
});

test('fixFlag: replace at the line, add after the last flag, or change the command line of a process', () => {
  const c = component('etcd', ['--client-cert-auth=false', '--name=a']);
  assert.match(fixFlag(c, 'client-cert-auth', '--client-cert-auth=true'), /^In \/etc\/kubernetes\/manifests\/etcd\.yaml line 16: replace `--client-cert-auth=false` with `--client-cert-auth=true`; the kubelet restarts the static pod/);
  assert.match(fixFlag(c, 'peer-client-cert-auth', '--peer-client-cert-auth=true'), /add `- --peer-client-cert-auth=true` to the command of the etcd container \(for example after line 17\)/);
  const p = componentFromArgs('etcd', ['--name=a'], { pid: 9 });
  assert.equal(fixFlag(p, 'client-cert-auth', '--client-cert-auth=true'), 'Add `--client-cert-auth=true` to the command line that starts etcd (pid 9: its systemd unit or start script); then restart etcd.');
});

test('a component that only prints its version is not running with these flags', () => {
  assert.match(componentFromArgs('kube-apiserver', ['--version']).unknown ?? '', /prints its version/);
  assert.equal(componentFromArgs('kube-apiserver', ['--version=false']).unknown, undefined);
  assert.match(componentFromArgs('etcd', ['--version']).unknown ?? '', /prints its version/);
});

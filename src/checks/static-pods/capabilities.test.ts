import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capName, staticPodCapabilities } from './capabilities.ts';
import { all, DIR, kubeadmControlPlane, manifest, pod, withManifests } from './test-support.ts';

function withCaps(caps: string[], spec = ''): string {
  return pod('p', `${spec}  containers:\n  - name: a\n    image: busybox\n    securityContext:\n      capabilities:\n        add: [${caps.join(', ')}]\n        drop: [ALL]\n`);
}
const run = (text: string) => all(staticPodCapabilities.evaluate(withManifests([manifest('x.yaml', text)])));

test('pass: kubeadm pods and pods adding nothing', () => {
  assert.deepEqual([...new Set(all(staticPodCapabilities.evaluate(withManifests(kubeadmControlPlane()))).map((x) => x.status))], ['pass']);
  assert.equal(run(withCaps([]))[0]!.status, 'pass');
});

test('fail: severity by capability, names as runtimes accept them', () => {
  const cases: Array<[string[], string, string]> = [
    [['SYS_ADMIN'], 'critical', ''],
    [['cap_sys_module'], 'critical', ''],
    [['ALL'], 'critical', ''],
    [['DAC_READ_SEARCH'], 'critical', ''],
    [['SYS_PTRACE'], 'high', ''],
    [['SYS_PTRACE'], 'critical', '  hostPID: true\n'],
    [['NET_ADMIN'], 'high', ''],
    [['NET_BIND_SERVICE'], 'low', ''],
    [['IPC_LOCK'], 'medium', ''],
    [['NET_BIND_SERVICE', 'CAP_SYS_ADMIN'], 'critical', ''],
  ];
  for (const [caps, severity, spec] of cases) {
    const r = run(withCaps(caps, spec));
    assert.equal(r[0]!.status, 'fail', caps.join());
    assert.equal(r[0]!.severity, severity, caps.join());
    assert.equal(r[0]!.subject, `${DIR}/x.yaml#p (container a)`);
  }
  assert.equal(capName(' cap_net_raw '), 'NET_RAW');
});

test('fail: the fix names the line of capabilities.add and the worst capabilities first', () => {
  const r = run(withCaps(['NET_BIND_SERVICE', 'SYS_ADMIN']))[0]!;
  assert.match(r.remediation ?? '', /^In \/etc\/kubernetes\/manifests\/x\.yaml line 12: remove `SYS_ADMIN` \(and review NET_BIND_SERVICE\) from securityContext\.capabilities\.add of container a/);
  assert.deepEqual(r.evidence?.[0], { file: `${DIR}/x.yaml`, line: 12, note: 'container a: capabilities.add [NET_BIND_SERVICE, SYS_ADMIN]' });
});

test('unknown: pods from staticPodURL are reported as not seen', () => {
  const r = all(staticPodCapabilities.evaluate(withManifests([], { path: '', stat: undefined, url: 'https://pods.example/x' })));
  assert.deepEqual(r.map((x) => x.status), ['not-applicable', 'unknown']);
});

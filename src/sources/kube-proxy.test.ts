import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RootFs } from './root-fs.ts';
import { readKubeProxy } from './kube-proxy.ts';
import { nodeTree } from '../../test/node-tree.ts';

const UNIT = '/etc/systemd/system/kube-proxy.service';
const proxy = (execStart: string, files: Record<string, string> = {}) =>
  readKubeProxy(new RootFs(nodeTree({ [UNIT]: `[Service]\nExecStart=${execStart}\n`, ...files })), false);

test('no kube-proxy unit: not present', () => {
  assert.equal(readKubeProxy(new RootFs(nodeTree({ '/etc/hostname': 'x' })), false).present, false);
});

test('flags: --metrics-bind-address with its line; the default otherwise', () => {
  const p = proxy('/usr/bin/kube-proxy --kubeconfig=/var/lib/kube-proxy/kubeconfig --metrics-bind-address=0.0.0.0:10249');
  assert.equal(p.present, true);
  assert.equal(p.kubeconfig, '/var/lib/kube-proxy/kubeconfig');
  assert.deepEqual(p.metricsBindAddress, { value: '0.0.0.0:10249', source: { kind: 'flag', file: UNIT, line: 2, detail: '--metrics-bind-address=0.0.0.0:10249' } });
  assert.deepEqual(proxy('/usr/bin/kube-proxy').metricsBindAddress, { value: '127.0.0.1:10249', source: { kind: 'flag-default' } });
});

test('the deprecated --metrics-port replaces the port, and 0 turns the server off', () => {
  assert.equal(proxy('/usr/bin/kube-proxy --metrics-bind-address=0.0.0.0 --metrics-port=9999').metricsBindAddress?.value, '0.0.0.0:9999');
  assert.equal(proxy('/usr/bin/kube-proxy --metrics-port 0').metricsBindAddress?.value, '');
});

test('--config replaces the flags: its metricsBindAddress and kubeconfig, with lines', () => {
  const p = proxy('/usr/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf --metrics-bind-address=127.0.0.1:10249', {
    '/var/lib/kube-proxy/config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclientConnection:\n  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf\nmetricsBindAddress: 0.0.0.0:10249\n',
  });
  assert.deepEqual(p.metricsBindAddress, { value: '0.0.0.0:10249', source: { kind: 'config-file', file: '/var/lib/kube-proxy/config.conf', line: 5 } });
  assert.equal(p.kubeconfig, '/var/lib/kube-proxy/kubeconfig.conf');
});

test('an unreadable or broken --config: unknown with the reason', () => {
  assert.match(proxy('/usr/bin/kube-proxy --config=/nope.yaml').unknown ?? '', /cannot read.*no such file or directory/);
  assert.match(proxy('/usr/bin/kube-proxy --config=/c.yaml', { '/c.yaml': 'a: [\n' }).unknown ?? '', /not valid YAML/);
});

test('--config with merge keys, as kube-proxy decodes it (sigs.k8s.io/yaml on go-yaml v2): the merged value, at its line', () => {
  const p = proxy('/usr/bin/kube-proxy --config=/c.yaml', {
    '/c.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nx: &open\n  metricsBindAddress: 0.0.0.0:10249\nmetricsBindAddress: 127.0.0.1:10249\n<<: *open\n',
  });
  assert.deepEqual(p.metricsBindAddress, { value: '0.0.0.0:10249', source: { kind: 'config-file', file: '/c.yaml', line: 4 } });
});

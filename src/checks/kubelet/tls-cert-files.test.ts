import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { tlsCertFiles } from './tls-cert-files.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('pass: both files set in the config file', () => {
  const r = one(tlsCertFiles, factsFrom({ config: `${HDR}tlsCertFile: /etc/kubernetes/pki/kubelet.crt\ntlsPrivateKeyFile: /etc/kubernetes/pki/kubelet.key\n` }));
  assert.equal(r.status, 'pass');
  assert.equal(r.evidence?.length, 3);
});

test('pass with a note: both empty but serverTLSBootstrap in a drop-in (CSR-signed certificate)', () => {
  const r = one(tlsCertFiles, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}serverTLSBootstrap: true\n`] }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /CSR/);
  assert.match(r.message, /not auto-approved/);
});

test('fail: kubeadm default, both empty: self-signed certificate in the cert dir', () => {
  const r = one(tlsCertFiles, factsFrom({ config: KUBEADM_CONFIG, flags: ['--cert-dir=/var/lib/kubelet/certs'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /serves \/var\/lib\/kubelet\/certs\/kubelet\.crt, which it generates self-signed/);
  assert.match(r.remediation ?? '', /In \/var\/lib\/kubelet\/config\.yaml, set `serverTLSBootstrap` to `true`/);
});

test('fail: --rotate-server-certificates=false overrides serverTLSBootstrap in the file', () => {
  const r = one(tlsCertFiles, factsFrom({ config: `${HDR}serverTLSBootstrap: true\n`, flags: ['--rotate-server-certificates=false'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /replace `--rotate-server-certificates=false` with `--rotate-server-certificates=true`/);
});

test('fail: only the certificate is set', () => {
  const r = one(tlsCertFiles, factsFrom({ flags: ['--tls-cert-file=/etc/kubelet/tls.crt'] }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /only tlsCertFile is set/);
});

test('unknown: the config file is refused and no flag decides', () => {
  const r = one(tlsCertFiles, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' }));
  assert.equal(r.status, 'unknown');
});

test('pass: the config file is refused, but explicit flags set both files', () => {
  const r = one(tlsCertFiles, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n', flags: ['--tls-cert-file=/a.crt', '--tls-private-key-file=/a.key'] }));
  assert.equal(r.status, 'pass');
});

// The live /configz is published after InitializeTLS filled in <cert-dir>/kubelet.crt/.key.
function configzFacts(values: Record<string, string | boolean>) {
  return factsFrom({
    config: KUBEADM_CONFIG,
    patch: (f) => {
      for (const [k, value] of Object.entries(values)) f.kubelet.effective[k] = { value, source: { kind: 'configz', detail: 'live configz' } };
    },
  });
}

test("unknown in /configz: the kubelet's own pair, which the kubelet fills in when neither file was set", () => {
  const r = one(tlsCertFiles, configzFacts({ tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key', serverTLSBootstrap: false }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /cannot tell whether they were set/);
});

test('pass in /configz: files other than the kubelet pair were set', () => {
  const r = one(tlsCertFiles, configzFacts({ tlsCertFile: '/etc/kubernetes/pki/kubelet-serving.crt', tlsPrivateKeyFile: '/etc/kubernetes/pki/kubelet-serving.key', serverTLSBootstrap: false }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /CIS 4\.2\.9 asks no more/);
});

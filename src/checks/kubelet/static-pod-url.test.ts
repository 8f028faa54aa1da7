import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one, KUBEADM_CONFIG } from '../fixtures.ts';
import { staticPodUrl } from './static-pod-url.ts';

const HDR = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const SECRET = 's3cr3t-token-value';

test('pass: no static pod URL (kubeadm uses staticPodPath)', () => {
  assert.equal(one(staticPodUrl, factsFrom({ config: KUBEADM_CONFIG })).status, 'pass');
});

test('fail: URL in the config file; header values never shown', () => {
  const r = one(staticPodUrl, factsFrom({ config: `${HDR}staticPodURL: http://manifests.example.com/node.yaml\nstaticPodURLHeader:\n  Authorization:\n    - Bearer ${SECRET}\n` }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /http:\/\/manifests\.example\.com\/node\.yaml over plain HTTP, with header Authorization \(values not shown\)/);
  const all = JSON.stringify(r);
  assert.equal(all.includes(SECRET), false);
  assert.match(r.remediation ?? '', /In \/var\/lib\/kubelet\/config\.yaml line 3: remove the staticPodURL line; In \/var\/lib\/kubelet\/config\.yaml line 4: remove the staticPodURLHeader line/);
});

test('fail: --manifest-url with credentials in the URL and --manifest-url-header: nothing secret leaks', () => {
  const r = one(staticPodUrl, factsFrom({ config: KUBEADM_CONFIG, flags: [`--manifest-url=https://user:${SECRET}@manifests.example.com/pods?token=${SECRET}`, `--manifest-url-header=X-Auth:${SECRET}`] }));
  assert.equal(r.status, 'fail');
  assert.equal(JSON.stringify(r).includes(SECRET), false);
  assert.match(r.message, /https:\/\/user:redacted@manifests\.example\.com\/pods\?token=redacted/);
  assert.match(r.message, /header X-Auth/);
  assert.match(r.remediation ?? '', /remove the --manifest-url flag; In \/etc\/default\/kubelet line 1: remove the --manifest-url-header flag/);
});

test('fail: the "--flag value" form of --manifest-url does not leak either', () => {
  const r = one(staticPodUrl, factsFrom({ flags: ['--manifest-url', `https://user:${SECRET}@10.0.0.1/pods`, '--manifest-url-header', `Authorization:Bearer ${SECRET}`] }));
  assert.equal(r.status, 'fail');
  assert.equal(JSON.stringify(r).includes(SECRET), false);
  assert.match(r.message, /set by the flag --manifest-url=…/);
});

test('fail: a drop-in adds the URL', () => {
  const r = one(staticPodUrl, factsFrom({ config: KUBEADM_CONFIG, dropIns: [`${HDR}staticPodURL: https://10.0.0.1/pods\n`] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence?.[0]?.source?.kind, 'drop-in');
});

test('unknown: the config file is refused', () => {
  assert.equal(one(staticPodUrl, factsFrom({ config: 'apiVersion: v1\nkind: Pod\n' })).status, 'unknown');
});

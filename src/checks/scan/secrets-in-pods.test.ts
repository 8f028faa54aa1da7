import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysePods } from '../../scan/collect.ts';
import { endpoint, hostAll } from './test-support.ts';
import type { Endpoint } from '../../scan/types.ts';

const one = (_c: unknown, ...eps: Endpoint[]) => {
  const rs = hostAll(check, ...eps);
  assert.equal(rs.length, 1);
  return rs[0]!;
};
const all = (_c: unknown, ...eps: Endpoint[]) => hostAll(check, ...eps);
import { secretsInPods as check } from './secrets-in-pods.ts';

const AWS = 'AKIAIOSFODNN7EXAMPLE';
const PW = 'p4ssw0rd-of-the-db';

function podsWith(env: Array<{ name: string; value: string }>) {
  return analysePods(Buffer.from(JSON.stringify({ kind: 'PodList', items: [{ metadata: { namespace: 'shop', name: 'api-1' }, spec: { containers: [{ name: 'api', env }] } }] })), false);
}

test('fail: secret-looking env values, by name, place, reason and fingerprint; never the value', () => {
  const pods = podsWith([{ name: 'AWS_ACCESS_KEY_ID', value: AWS }, { name: 'DB_PASSWORD', value: PW }, { name: 'LOG_LEVEL', value: 'debug' }]);
  const r = one(check, endpoint({ service: 'kubelet-read-only', port: 10255, reachable: ['pods'], collected: { pods } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /^2 env values in 1 of the 1 pod served by 10\.0\.0\.5:10255 look like credentials: shop\/api-1 container api: AWS_ACCESS_KEY_ID \(the value looks like an AWS access key id/);
  assert.match(r.message, /value sha256 [0-9a-f]{8}…/);
  assert.equal(r.evidence?.length, 2);
  assert.equal(r.evidence?.[1]?.setting, 'env DB_PASSWORD');
  const out = JSON.stringify(r);
  assert.ok(!out.includes(AWS) && !out.includes(PW));
  assert.match(check.meta.remediation, /Rotate every credential/);
  assert.match(check.meta.remediation, /secretKeyRef/);
});

test('fail: long lists are cut in the message and the evidence', () => {
  const pods = podsWith(Array.from({ length: 60 }, (_, i) => ({ name: `TOKEN_${i}`, value: `value-${i}-xyz` })));
  const r = one(check, endpoint({ collected: { pods } }));
  assert.match(r.message, /… 55 more in the evidence/);
  assert.equal(r.evidence?.length, 51);
});

test('pass: pods collected, nothing secret-looking', () => {
  const r = one(check, endpoint({ collected: { pods: podsWith([{ name: 'LOG_LEVEL', value: 'debug' }]) } }));
  assert.equal(r.status, 'pass');
});

test('unknown: the pods could not be analysed, or only in part', () => {
  const bad = one(check, endpoint({ collected: { pods: analysePods(Buffer.from('{"items": ['), true) } }));
  assert.equal(bad.status, 'unknown');
  assert.match(bad.message, /cut at the read limit/);
  const partial = one(check, endpoint({ collected: { pods: { count: 20000, privileged: [], hostPaths: [], serviceAccountTokens: 0, secretEnv: [], truncated: true, limited: 'only the first 10000 of 20000 pods were analysed' } } }));
  assert.equal(partial.status, 'unknown');
  assert.match(partial.message, /only the first 10000/);
});

test('not collected: not-applicable where /pods was reachable, else nothing', () => {
  assert.equal(one(check, endpoint({ reachable: ['pods'] })).status, 'not-applicable');
  assert.deepEqual(all(check, endpoint({ anonymous: false })), []);
  assert.deepEqual(all(check, endpoint({ service: 'etcd', port: 2379 })), []);
});

test('one kubelet, two ports serving its pods: one verdict, the same value once; a failed read on one port does not hide the other', () => {
  const pods = podsWith([{ name: 'DB_PASSWORD', value: PW }]);
  const secure = endpoint({ reachable: ['pods'], collected: { pods } });
  const ro = endpoint({ service: 'kubelet-read-only', port: 10255, reachable: ['pods'], collected: { pods } });
  const r = one(check, secure, ro);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /^1 env value in 1 of the 1 pod served by 10\.0\.0\.5:10250 and 10\.0\.0\.5:10255 looks like credentials/);
  const broken = endpoint({ reachable: ['pods'], collected: { pods: analysePods(Buffer.from('{"items": ['), true) } });
  assert.equal(one(check, broken, endpoint({ service: 'kubelet-read-only', port: 10255, collected: { pods: podsWith([{ name: 'LOG_LEVEL', value: 'debug' }]) } })).status, 'pass');
  assert.equal(one(check, broken, ro).status, 'fail');
});

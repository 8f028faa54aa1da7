import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpoint } from './test-support.ts';
import { checks } from './index.ts';
import { runEndpointChecks, runScanChecks } from './run.ts';
import type { EndpointCheck } from './types.ts';

test('findings: subject host:port (a host check: the host), the CVE after it, remediation on failures only', () => {
  const eps = [
    endpoint({ anonymous: true, authorization: 'AlwaysAllow', reachable: ['pods', 'exec'], version: 'v1.30.1' }),
    endpoint({ host: 'fd00::7', port: 2379, service: 'etcd', etcd: { tls: true, clientCertRequired: true, plainHttp: false, keysReadable: false } }),
  ];
  const f = runScanChecks(checks, eps);
  const critical = f.find((x) => x.check === 'exposure-kubelet-anonymous-alwaysallow')!;
  assert.equal(critical.subject, '10.0.0.5:10250');
  assert.equal(critical.status, 'fail');
  assert.equal(critical.severity, 'critical');
  assert.equal(critical.section, 'exposure');
  assert.match(critical.remediation ?? '', /authentication\.anonymous\.enabled: false/);
  const etcd = f.find((x) => x.check === 'exposure-etcd-no-client-auth')!;
  assert.equal(etcd.subject, '[fd00::7]:2379');
  assert.equal(etcd.status, 'pass');
  assert.equal(etcd.remediation, undefined);
  // the gitRepo CVE needs a pod the scan cannot see: unknown, and (not a failure) no remediation
  assert.ok(f.some((x) => x.subject === '10.0.0.5 CVE-2024-10220' && x.status === 'unknown' && x.remediation === undefined));
  assert.ok(!f.some((x) => x.subject?.startsWith('[fd00::7]') && x.check === 'exposure-kubelet-cve'));
  // checks that have nothing to say about an endpoint add nothing
  assert.ok(!f.some((x) => x.check === 'exposure-etcd-plain-http' && x.subject === '10.0.0.5:10250'));
});

test('a check that throws becomes one unknown finding and hides nothing', () => {
  const boom: EndpointCheck = { meta: { ...checks[0]!.meta, id: 'boom' }, evaluate: () => { throw new Error('bad'); } };
  const f = runEndpointChecks([boom, checks[0]!], [endpoint({ anonymous: false })]);
  assert.deepEqual(f.map((x) => [x.check, x.status]), [['boom', 'unknown'], ['exposure-kubelet-anonymous-alwaysallow', 'pass']]);
  assert.match(f[0]!.message, /internal error in check boom: bad/);
});

test('every check: a kebab-case exposure id, a remediation, tests beside it', () => {
  const ids = new Set<string>();
  for (const c of checks) {
    assert.match(c.meta.id, /^exposure-[a-z0-9-]+$/);
    assert.ok(!ids.has(c.meta.id));
    ids.add(c.meta.id);
    assert.ok(c.meta.remediation.length > 20);
  }
  assert.equal(checks.length, 12);
});

test('closed endpoints: only reachability checks pass, nothing else passes', () => {
  const closed = ['kubelet', 'kubelet-read-only', 'kubelet-healthz', 'etcd', 'etcd-peer'].map((service, i) =>
    endpoint({ service: service as never, port: [10250, 10255, 10248, 2379, 2380][i]!, state: 'closed' }),
  );
  const passes = runEndpointChecks(checks, closed).filter((x) => x.status === 'pass').map((x) => x.check).sort();
  assert.deepEqual(passes, ['exposure-etcd-peer-exposed', 'exposure-kubelet-healthz-remote', 'exposure-kubelet-read-only-port']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../checks/types.ts';
import { buildSarif, FINGERPRINT_KEY } from './sarif.ts';

const finding = (over: Partial<Finding>): Finding => ({
  check: 'kubelet-anonymous-auth', title: 't', section: 'cis-4.2', cis: ['4.2.1'], status: 'fail', severity: 'critical', message: 'anonymous auth is on', evidence: [], ...over,
});

interface Log {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; properties: Record<string, unknown> }> } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: Array<{ ruleIndex: number; level: string; message: { text: string }; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } }; logicalLocations?: Array<{ name: string; fullyQualifiedName: string }> }>; properties: Record<string, unknown> }>;
  }>;
}
const sarif = (findings: Finding[], extra: { root?: string; command?: 'node' | 'scan' | 'cluster' } = {}) =>
  buildSarif({ command: extra.command ?? 'node', findings, target: 'node-1', ...(extra.root ? { root: extra.root } : {}) }) as unknown as Log;

test('failed and unknown findings only; levels from severity; unknown is a note that says why there is no verdict', () => {
  const log = sarif([
    finding({ severity: 'critical' }), finding({ check: 'kubelet-read-only-port', severity: 'medium' }), finding({ check: 'kubelet-pod-pids-limit', severity: 'low' }),
    finding({ check: 'kubelet-tls-cert-files', status: 'unknown', severity: 'high', message: 'cannot read /x: permission denied' }),
    finding({ check: 'kubelet-seccomp-default', status: 'pass' }), finding({ check: 'kubelet-rotate-certificates', status: 'not-applicable' }),
  ]);
  const run = log.runs[0]!;
  assert.deepEqual(run.results.map((r) => r.level), ['error', 'warning', 'note', 'note']);
  assert.match(run.results[3]!.message.text, /^unknown \(the evidence could not be read, so no verdict\): cannot read \/x: permission denied$/);
  assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ['kubelet-anonymous-auth', 'kubelet-read-only-port', 'kubelet-pod-pids-limit', 'kubelet-tls-cert-files']);
  assert.equal(run.tool.driver.rules[0]!.properties['security-severity'], '9.5');
  assert.deepEqual(run.tool.driver.rules[0]!.properties['cis'], ['4.2.1']);
});

test('the message carries the exact fix; a proposal-less failure says why fix changes nothing', () => {
  const log = sarif([finding({ remediation: 'In /var/lib/kubelet/config.yaml, set `authentication.anonymous.enabled` to `false`', noFix: 'a person decides' })]);
  const text = log.runs[0]!.results[0]!.message.text;
  assert.match(text, /^anonymous auth is on\nFix: In \/var\/lib\/kubelet\/config\.yaml, set/);
  assert.match(text, /kubelet-guard fix changes nothing here: a person decides$/);
});

test('a node file: relative to NODEROOT (--root, or file:/// live), each segment encoded, on its line; no line: the whole file at line 1', () => {
  const hostile = finding({ evidence: [{ setting: 'x', source: { kind: 'config-file', file: '/etc/kube let/#1 %2e\u202e.yaml', line: 12 } }] });
  const whole = finding({ check: 'file-kubelet-config-perms', severity: 'high', evidence: [{ file: '/var/lib/kubelet/config.yaml', note: 'mode 0666' }] });
  const offline = sarif([hostile, whole], { root: '/mnt/node a' });
  assert.equal(offline.runs[0]!.originalUriBaseIds?.['NODEROOT']?.uri, 'file:///mnt/node%20a/');
  const [a, b] = offline.runs[0]!.results;
  assert.deepEqual(a!.locations[0]!.physicalLocation, { artifactLocation: { uri: 'etc/kube%20let/%231%20%252e%E2%80%AE.yaml', uriBaseId: 'NODEROOT' }, region: { startLine: 12 } });
  assert.deepEqual(b!.locations[0]!.physicalLocation!.region, { startLine: 1 });
  assert.equal(b!.properties['wholeFile'], true);
  assert.equal(sarif([hostile]).runs[0]!.originalUriBaseIds?.['NODEROOT']?.uri, 'file:///');
  // a path that climbs stays under the root
  const climb = sarif([finding({ evidence: [{ file: '/../../etc/shadow', line: 1 }] })]);
  assert.equal(climb.runs[0]!.results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri, 'etc/shadow');
});

test('no file: a logical location (the node, host:port, the cluster object) and no physical one; scan and cluster findings never get a file', () => {
  const node = sarif([finding({ evidence: [{ setting: 'a', source: { kind: 'config-default' } }] })]);
  assert.deepEqual(node.runs[0]!.results[0]!.locations[0], { logicalLocations: [{ name: 'node-1', fullyQualifiedName: 'node-1', kind: 'module' }] });
  assert.equal(node.runs[0]!.originalUriBaseIds, undefined);
  const scan = sarif([finding({ subject: '10.0.0.1:10250', evidence: [{ file: '/etc/x', line: 3 }] })], { command: 'scan' });
  assert.equal(scan.runs[0]!.results[0]!.locations[0]!.physicalLocation, undefined);
  assert.equal(scan.runs[0]!.results[0]!.locations[0]!.logicalLocations![0]!.name, '10.0.0.1:10250');
});

test('fingerprints: check, subject and file; never the line, the message, the severity or the time', () => {
  const fp = (f: Finding) => sarif([f]).runs[0]!.results[0]!.partialFingerprints[FINGERPRINT_KEY];
  const base = finding({ subject: 'a', evidence: [{ file: '/etc/k', line: 3 }] });
  assert.equal(fp({ ...base, evidence: [{ file: '/etc/k', line: 40 }], message: 'other words', severity: 'high' }), fp(base));
  assert.notEqual(fp({ ...base, subject: 'b' }), fp(base));
  assert.notEqual(fp({ ...base, evidence: [{ file: '/etc/j', line: 3 }] }), fp(base));
  assert.notEqual(fp({ ...base, check: 'kubelet-read-only-port' }), fp(base));
});

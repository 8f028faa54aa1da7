// CIS 2.1–2.6: the TLS flags, each with pass, fail and unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom } from '../fixtures.ts';
import type { Check } from '../types.ts';
import { component, ETCD_YAML, KUBEADM_ETCD_ARGS, kubeadmArgs, only, withControlPlane } from '../control-plane/test-support.ts';
import { etcdCertFile } from './cert-file.ts';
import { etcdClientCertAuth } from './client-cert-auth.ts';
import { etcdAutoTls } from './auto-tls.ts';
import { etcdPeerCertFile } from './peer-cert-file.ts';
import { etcdPeerClientCertAuth } from './peer-client-cert-auth.ts';
import { etcdPeerAutoTls } from './peer-auto-tls.ts';

const facts = (args: string[], env?: Record<string, string>) => factsFrom({ patch: withControlPlane({ components: [component('etcd', args, env)] }) });
const run = (c: Check, args: string[], env?: Record<string, string>) => only(c.evaluate(facts(args, env)));
const line = (flag: string) => 16 + KUBEADM_ETCD_ARGS.findIndex((a) => a.startsWith(`--${flag}=`));

test("pass: kubeadm's etcd manifest passes 2.1–2.6, evidence at the manifest's lines", () => {
  for (const c of [etcdCertFile, etcdClientCertAuth, etcdAutoTls, etcdPeerCertFile, etcdPeerClientCertAuth, etcdPeerAutoTls]) {
    const r = run(c, KUBEADM_ETCD_ARGS);
    assert.equal(r.status, 'pass', `${c.meta.id}: ${r.message}`);
    assert.equal(r.subject, ETCD_YAML);
  }
  assert.equal(run(etcdClientCertAuth, KUBEADM_ETCD_ARGS).evidence?.[0]?.line, line('client-cert-auth'));
});

test('2.2 fail: --client-cert-auth=false is replaced at its line', () => {
  const r = run(etcdClientCertAuth, kubeadmArgs('etcd', { 'client-cert-auth': 'false' }));
  assert.equal(r.status, 'fail');
  assert.equal(r.remediation, `In ${ETCD_YAML} line ${16 + KUBEADM_ETCD_ARGS.length - 1}: replace \`--client-cert-auth=false\` with \`--client-cert-auth=true\`; the kubelet restarts the static pod when the manifest changes (keep any backup copy out of the manifest folder: the kubelet runs every file in it).`);
});

test('2.2 fail: absent, the default is false; the fix adds the flag', () => {
  const r = run(etcdClientCertAuth, kubeadmArgs('etcd', { 'client-cert-auth': null }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /add `- --client-cert-auth=true` to the command of the etcd container \(for example after line 33\)/);
});

test('2.2 bool parsing: bare -client-cert-auth is true (Go flag), and ETCD_CLIENT_CERT_AUTH counts when the flag is absent', () => {
  assert.equal(run(etcdClientCertAuth, ['-client-cert-auth', '--cert-file=/a', '--listen-client-urls=https://127.0.0.1:2379']).status, 'pass');
  const env = run(etcdClientCertAuth, kubeadmArgs('etcd', { 'client-cert-auth': null }), { ETCD_CLIENT_CERT_AUTH: 'true' });
  assert.equal(env.status, 'pass');
  assert.match(env.message, /ETCD_CLIENT_CERT_AUTH=true/);
  const envOff = run(etcdClientCertAuth, kubeadmArgs('etcd', { 'client-cert-auth': null }), { ETCD_CLIENT_CERT_AUTH: 'false' });
  assert.equal(envOff.status, 'fail');
  assert.match(envOff.remediation ?? '', /the variable ETCD_CLIENT_CERT_AUTH=false sets --client-cert-auth; set ETCD_CLIENT_CERT_AUTH to `true`/);
});

test('2.2 unknown: "--client-cert-auth true" stops Go flag parsing (etcd does not start); flag and variable together stop etcd 3.5+', () => {
  const r = run(etcdClientCertAuth, ['--client-cert-auth', 'true']);
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /"true".*is not a flag/);
  const both = run(etcdClientCertAuth, KUBEADM_ETCD_ARGS, { ETCD_CLIENT_CERT_AUTH: 'true' });
  assert.equal(both.status, 'unknown');
  assert.match(both.message, /conflicting environment variable/);
});

test('2.1 / 2.4 fail and unknown', () => {
  const r = run(etcdCertFile, kubeadmArgs('etcd', { 'key-file': null }));
  assert.equal(r.status, 'fail');
  assert.match(r.remediation ?? '', /--key-file=\/etc\/kubernetes\/pki\/etcd\/server\.key/);
  const p = run(etcdPeerCertFile, kubeadmArgs('etcd', { 'peer-cert-file': '' }));
  assert.equal(p.status, 'fail');
  assert.match(p.remediation ?? '', /replace `--peer-cert-file=` with `--peer-cert-file=\/etc\/kubernetes\/pki\/etcd\/peer\.crt`/);
  assert.equal(run(etcdCertFile, [...KUBEADM_ETCD_ARGS, '--config-file=/etc/etcd/etcd.conf.yml']).status, 'unknown');
});

test('2.5 fail / 2.3, 2.6 fail (low when certificates make etcd ignore auto TLS)', () => {
  assert.equal(run(etcdPeerClientCertAuth, kubeadmArgs('etcd', { 'peer-client-cert-auth': null })).status, 'fail');
  const ignored = run(etcdAutoTls, [...KUBEADM_ETCD_ARGS, '--auto-tls']);
  assert.equal(ignored.status, 'fail');
  assert.equal(ignored.severity, 'low');
  assert.match(ignored.message, /ignores it while --cert-file\/--key-file are given/);
  const real = run(etcdPeerAutoTls, [...kubeadmArgs('etcd', { 'peer-cert-file': null, 'peer-key-file': null }), '--peer-auto-tls=true']);
  assert.equal(real.status, 'fail');
  assert.equal(real.severity, undefined);
  assert.match(real.remediation ?? '', /replace `--peer-auto-tls=true` with `--peer-auto-tls=false`/);
});

test('unknown: an unreadable environment can set what the command line leaves out', () => {
  const c = component('etcd', kubeadmArgs('etcd', { 'peer-client-cert-auth': null }));
  c.flags.push({ name: '(environment)', value: '', text: 'the container takes variables from envFrom', file: ETCD_YAML, line: 40 });
  const f = factsFrom({ patch: withControlPlane({ components: [c] }) });
  const r = only(etcdPeerClientCertAuth.evaluate(f));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /envFrom/);
  // the flag is on the command line, but the environment could add a plain --listen-client-http-urls
  const cca = only(etcdClientCertAuth.evaluate(f));
  assert.equal(cca.status, 'unknown');
  assert.match(cca.message, /--listen-client-http-urls is not on etcd's command line/);
});

test('not-applicable: no etcd on this node', () => {
  const r = only(etcdClientCertAuth.evaluate(factsFrom({ patch: withControlPlane({ components: [component('kube-apiserver')] }) })));
  assert.equal(r.status, 'not-applicable');
  assert.match(r.message, /etcd does not run on this node/);
});

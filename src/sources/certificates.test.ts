// Real certificates, minted here with openssl into a folder laid out as a node's root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CertificateFact, EffectiveConfig, SettingValue } from '../facts/types.ts';
import { RootFs } from './root-fs.ts';
import { ORIGIN, parsePem, readKubeletCertificates } from './certificates.ts';

let root = '';
let work = '';
let rootFs: RootFs;
const secrets: string[] = []; // base64 lines of every private key minted, to prove none leaks

function ossl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
}

function put(nodePath: string, content: string | Buffer, mode = 0o644): void {
  const host = path.join(root, nodePath);
  fs.mkdirSync(path.dirname(host), { recursive: true });
  fs.writeFileSync(host, content);
  fs.chmodSync(host, mode);
}

const read = (f: string) => fs.readFileSync(path.join(work, f), 'utf8');

function rememberKey(f: string): void {
  for (const line of read(f).split('\n')) if (line.length > 40 && !line.startsWith('-----')) secrets.push(line);
}

/** openssl ca, which (unlike openssl x509 -req in 3.0) takes explicit start and end dates. */
function caSign(opts: { csr: string; out: string; key: string; cert?: string; start: string; end: string; ext: string }): void {
  const args = ['ca', '-batch', '-config', 'ca.cnf', '-notext', '-in', opts.csr, '-out', opts.out, '-keyfile', opts.key, '-startdate', opts.start, '-enddate', opts.end, '-extensions', opts.ext];
  if (opts.cert) args.push('-cert', opts.cert);
  else args.push('-selfsign');
  ossl(...args);
}

function newKeyAndCsr(name: string, cn: string, kind: 'ec' | 'rsa1024' | 'rsa2048'): void {
  const keyArgs = kind === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', kind === 'rsa1024' ? 'rsa:1024' : 'rsa:2048'];
  ossl('req', '-new', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  rememberKey(`${name}.key`);
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-certs-work-'));
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-certs-root-'));
  rootFs = new RootFs(root);
  fs.mkdirSync(path.join(work, 'db/new'), { recursive: true });
  fs.writeFileSync(path.join(work, 'db/index.txt'), '');
  fs.writeFileSync(path.join(work, 'db/serial'), '1000\n');
  fs.writeFileSync(
    path.join(work, 'ca.cnf'),
    `[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\ndatabase = db/index.txt\nnew_certs_dir = db/new\nserial = db/serial\ndefault_md = sha256\npolicy = policy_any\nunique_subject = no\nemail_in_dn = no\n` +
      `[ policy_any ]\ncommonName = supplied\n` +
      `[ v3_ca ]\nbasicConstraints = critical,CA:true\nkeyUsage = critical,keyCertSign,cRLSign\n` +
      `[ v3_leaf ]\nbasicConstraints = CA:false\nsubjectAltName = DNS:node1,IP:10.0.0.1\n`,
  );
  const now = Date.now();
  const ymd = (d: number) => new Date(d).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const validFrom = ymd(now - 86400_000);
  const validTo = ymd(now + 365 * 86400_000);

  // EC P-256 cluster CA and a second CA: the client CA bundle.
  newKeyAndCsr('ca', 'kubernetes', 'ec');
  caSign({ csr: 'ca.csr', out: 'ca.crt', key: 'ca.key', start: validFrom, end: ymd(now + 3650 * 86400_000), ext: 'v3_ca' });
  newKeyAndCsr('ca2', 'front-proxy-ca', 'rsa2048');
  caSign({ csr: 'ca2.csr', out: 'ca2.crt', key: 'ca2.key', start: validFrom, end: ymd(now + 3650 * 86400_000), ext: 'v3_ca' });
  put('/etc/kubernetes/pki/ca.crt', read('ca.crt') + read('ca2.crt'));

  // A CA-signed EC serving certificate (tlsCertFile) and its key.
  newKeyAndCsr('serving', 'system:node:node1', 'ec');
  caSign({ csr: 'serving.csr', out: 'serving.crt', key: 'ca.key', cert: 'ca.crt', start: validFrom, end: validTo, ext: 'v3_leaf' });
  put('/etc/kubernetes/pki/kubelet-serving.crt', read('serving.crt'));
  put('/etc/kubernetes/pki/kubelet-serving.key', read('serving.key'), 0o600);

  // A self-signed, expired RSA-1024 certificate in the cert dir, with a world-readable key.
  newKeyAndCsr('old', 'node1', 'rsa1024');
  caSign({ csr: 'old.csr', out: 'old.crt', key: 'old.key', start: '20200101000000Z', end: '20210101000000Z', ext: 'v3_leaf' });
  put('/var/lib/kubelet/pki/kubelet.crt', read('old.crt'));
  put('/var/lib/kubelet/pki/kubelet.key', read('old.key'), 0o644);

  // The kubelet's own kind: a leaf signed by a throwaway CA "<host>-ca@<unix>", followed by that CA.
  newKeyAndCsr('throwca', 'node1-ca@1700000000', 'rsa2048');
  caSign({ csr: 'throwca.csr', out: 'throwca.crt', key: 'throwca.key', start: validFrom, end: validTo, ext: 'v3_ca' });
  newKeyAndCsr('throwleaf', 'node1@1700000000', 'rsa2048');
  caSign({ csr: 'throwleaf.csr', out: 'throwleaf.crt', key: 'throwca.key', cert: 'throwca.crt', start: validFrom, end: validTo, ext: 'v3_leaf' });
  put('/srv/kubelet-style/kubelet.crt', read('throwleaf.crt') + read('throwca.crt'));
  put('/srv/kubelet-style/kubelet.key', read('throwleaf.key'), 0o600);

  // A chain whose intermediate expired: leaf + intermediate + key in the rotated server PEM,
  // reached through the kubelet's -current symlink.
  newKeyAndCsr('inter', 'expired-intermediate', 'ec');
  caSign({ csr: 'inter.csr', out: 'inter.crt', key: 'ca.key', cert: 'ca.crt', start: '20200101000000Z', end: '20210101000000Z', ext: 'v3_ca' });
  newKeyAndCsr('rotleaf', 'system:node:node1', 'ec');
  caSign({ csr: 'rotleaf.csr', out: 'rotleaf.crt', key: 'inter.key', cert: 'inter.crt', start: validFrom, end: validTo, ext: 'v3_leaf' });
  put('/srv/rotated/pki/kubelet-server-2025-01-01-00-00-00.pem', read('rotleaf.crt') + read('inter.crt') + read('rotleaf.key'), 0o600);
  fs.symlinkSync('/srv/rotated/pki/kubelet-server-2025-01-01-00-00-00.pem', path.join(root, 'srv/rotated/pki/kubelet-server-current.pem'));

  // A combined cert+key client PEM (kubelet-client-current.pem), key block first.
  newKeyAndCsr('client', 'system:node:node1', 'ec');
  caSign({ csr: 'client.csr', out: 'client.crt', key: 'ca.key', cert: 'ca.crt', start: validFrom, end: validTo, ext: 'v3_leaf' });
  put('/var/lib/kubelet/pki/kubelet-client-2025-01-01-00-00-00.pem', read('client.key') + read('client.crt'), 0o600);
  fs.symlinkSync('kubelet-client-2025-01-01-00-00-00.pem', path.join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem'));

  // A kubeconfig naming a client certificate by a relative path, with an embedded key and a token.
  put('/etc/kubernetes/certs/node1.crt', read('client.crt'));
  put(
    '/etc/kubernetes/kubelet.conf',
    `apiVersion: v1\nkind: Config\ncurrent-context: node\ncontexts:\n- name: other\n  context: {cluster: c, user: nobody}\n- name: node\n  context: {cluster: c, user: kubelet}\n` +
      `users:\n- name: nobody\n  user: {token: not-this-one}\n- name: kubelet\n  user:\n    client-certificate: certs/node1.crt\n    client-key-data: ${Buffer.from(read('client.key')).toString('base64')}\n    token: s3cr3t-t0ken\n`,
    0o600,
  );
  // The same with the certificate embedded.
  put(
    '/etc/kubernetes/embedded.conf',
    `apiVersion: v1\nkind: Config\nusers:\n- name: kubelet\n  user:\n    client-certificate-data: ${Buffer.from(read('client.crt')).toString('base64')}\n    client-key: /etc/kubernetes/certs/node1.key\n`,
    0o600,
  );

  // A kubeconfig whose user is merged in with `<<: *anchor`, written over an explicit key before it
  // (clientcmd decodes through sigs.k8s.io/yaml: the merge overwrites in place, as go-yaml v2 does).
  put(
    '/etc/kubernetes/merged.conf',
    `apiVersion: v1\nkind: Config\nx-user: &u {client-certificate: certs/node1.crt}\nusers:\n- name: kubelet\n  user:\n    client-certificate: /nowhere.crt\n    <<: *u\n`,
    0o600,
  );

  put('/etc/kubernetes/pki/garbage.crt', 'this is not a certificate\n');
  put('/etc/kubernetes/pki/key-only.pem', read('client.key'), 0o600);
  put('/etc/kubernetes/pki/empty.crt', '');
  fs.mkdirSync(path.join(root, 'etc/kubernetes/pki/dir.crt'), { recursive: true });
});

after(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

function eff(values: Record<string, SettingValue>): EffectiveConfig {
  const out: EffectiveConfig = {};
  for (const [k, v] of Object.entries(values)) out[k] = { value: v, source: { kind: 'config-file', file: '/var/lib/kubelet/config.yaml' } };
  return out;
}

function byRole(facts: CertificateFact[], role: CertificateFact['role']): CertificateFact {
  const f = facts.find((x) => x.role === role);
  assert.ok(f, `no ${role} fact in ${JSON.stringify(facts.map((x) => x.role))}`);
  return f;
}

function assertNoSecrets(facts: CertificateFact[]): void {
  const json = JSON.stringify(facts);
  assert.ok(!json.includes('PRIVATE KEY'), 'a fact contains a private key block');
  assert.ok(!json.includes('s3cr3t-t0ken'), 'a fact contains the kubeconfig token');
  for (const s of secrets) assert.ok(!json.includes(s), 'a fact contains private key bytes');
}

test('self-signed default: kubelet.crt in the cert dir, expired RSA-1024, key stat of kubelet.key', () => {
  const facts = readKubeletCertificates(rootFs, eff({ '--cert-dir': '/var/lib/kubelet/pki' }));
  const s = byRole(facts, 'serving');
  assert.equal(s.path, '/var/lib/kubelet/pki/kubelet.crt');
  assert.equal(s.origin, ORIGIN.selfSigned);
  assert.equal(s.error, undefined);
  assert.equal(s.subject, 'CN=node1');
  assert.equal(s.issuer, 'CN=node1');
  assert.equal(s.selfSigned, true);
  assert.equal(s.keyType, 'rsa');
  assert.equal(s.keyBits, 1024);
  assert.equal(s.notBefore, '2020-01-01T00:00:00.000Z');
  assert.equal(s.notAfter, '2021-01-01T00:00:00.000Z');
  assert.deepEqual(s.sans, ['DNS:node1', 'IP Address:10.0.0.1']);
  assert.equal(s.stat.exists, true);
  assert.equal(s.key?.path, '/var/lib/kubelet/pki/kubelet.key');
  assert.equal(s.key?.mode, 0o644);
  assertNoSecrets(facts);
});

test('tlsCertFile: a CA-signed EC P-256 serving certificate', () => {
  const facts = readKubeletCertificates(rootFs, eff({ tlsCertFile: '/etc/kubernetes/pki/kubelet-serving.crt', tlsPrivateKeyFile: '/etc/kubernetes/pki/kubelet-serving.key' }));
  const s = byRole(facts, 'serving');
  assert.equal(s.origin, ORIGIN.tlsCertFile);
  assert.equal(s.subject, 'CN=system:node:node1');
  assert.equal(s.issuer, 'CN=kubernetes');
  assert.equal(s.selfSigned, false);
  assert.equal(s.keyType, 'ec');
  assert.equal(s.keyBits, 256);
  assert.equal(s.chain, undefined);
  assert.equal(s.key?.mode, 0o600);
  assertNoSecrets(facts);
});

test('the kubelet-style pair: leaf signed by a throwaway CA shipped in the same file', () => {
  const facts = readKubeletCertificates(rootFs, eff({ '--cert-dir': '/srv/kubelet-style' }));
  const s = byRole(facts, 'serving');
  assert.equal(s.subject, 'CN=node1@1700000000');
  assert.equal(s.issuer, 'CN=node1-ca@1700000000');
  assert.equal(s.selfSigned, false);
  assert.equal(s.chain?.length, 1);
  assert.equal(s.chain?.[0]?.subject, 'CN=node1-ca@1700000000');
  assert.equal(s.chain?.[0]?.selfSigned, true);
});

test('serverTLSBootstrap: kubelet-server-current.pem through its symlink, chain with an expired intermediate, key block skipped', () => {
  const facts = readKubeletCertificates(rootFs, eff({ '--cert-dir': '/srv/rotated/pki', serverTLSBootstrap: true, tlsCertFile: '/etc/kubernetes/pki/kubelet-serving.crt', tlsPrivateKeyFile: '/etc/kubernetes/pki/kubelet-serving.key' }));
  const s = byRole(facts, 'serving');
  assert.equal(s.path, '/srv/rotated/pki/kubelet-server-current.pem');
  assert.equal(s.origin, ORIGIN.rotatedServer, 'the rotated PEM wins over tlsCertFile (fileStore.Current)');
  assert.equal(s.issuer, 'CN=expired-intermediate');
  assert.equal(s.chain?.length, 1);
  assert.equal(s.chain?.[0]?.subject, 'CN=expired-intermediate');
  assert.equal(s.chain?.[0]?.issuer, 'CN=kubernetes');
  assert.equal(s.chain?.[0]?.notAfter, '2021-01-01T00:00:00.000Z');
  assert.equal(s.chain?.[0]?.selfSigned, false);
  assert.equal(s.key?.path, s.path, 'cert and key in one file');
  assert.equal(s.key?.mode, 0o600, 'stat follows the symlink');
  assertNoSecrets(facts);
});

test('serverTLSBootstrap with no rotated certificate: tlsCertFile serves until one is issued', () => {
  const facts = readKubeletCertificates(rootFs, eff({ '--cert-dir': '/var/lib/kubelet/pki', serverTLSBootstrap: true, tlsCertFile: '/etc/kubernetes/pki/kubelet-serving.crt', tlsPrivateKeyFile: '/etc/kubernetes/pki/kubelet-serving.key' }));
  const s = byRole(facts, 'serving');
  assert.equal(s.path, '/etc/kubernetes/pki/kubelet-serving.crt');
  assert.equal(s.origin, ORIGIN.tlsCertFileBeforeRotation);
});

test('serverTLSBootstrap with nothing issued: the rotated PEM is reported missing', () => {
  const facts = readKubeletCertificates(rootFs, eff({ '--cert-dir': '/nowhere', serverTLSBootstrap: true }));
  const s = byRole(facts, 'serving');
  assert.equal(s.path, '/nowhere/kubelet-server-current.pem');
  assert.equal(s.origin, ORIGIN.rotatedServer);
  assert.equal(s.error, 'missing');
  assert.equal(s.stat.exists, false);
});

test('client: rotated kubelet-client-current.pem (symlink, key block first) wins when rotateCertificates is on', () => {
  const facts = readKubeletCertificates(rootFs, eff({ rotateCertificates: true, '--kubeconfig': '/etc/kubernetes/kubelet.conf' }));
  const c = byRole(facts, 'client');
  assert.equal(c.path, '/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.equal(c.origin, ORIGIN.rotatedClient);
  assert.equal(c.subject, 'CN=system:node:node1');
  assert.equal(c.keyType, 'ec');
  assert.equal(c.key?.path, c.path);
  assert.equal(c.key?.mode, 0o600);
  assertNoSecrets(facts);
});

test('client without rotation: the kubeconfig user of current-context, relative path resolved against its folder', () => {
  const facts = readKubeletCertificates(rootFs, eff({ rotateCertificates: false, '--kubeconfig': '/etc/kubernetes/kubelet.conf' }));
  const c = byRole(facts, 'client');
  assert.equal(c.path, '/etc/kubernetes/certs/node1.crt');
  assert.equal(c.origin, ORIGIN.kubeconfigClientCert);
  assert.equal(c.issuer, 'CN=kubernetes');
  assert.equal(c.key?.path, '/etc/kubernetes/kubelet.conf', 'client-key-data: the kubeconfig holds the key');
  assertNoSecrets(facts);
});

test('kubeconfig with merge keys: the merged client-certificate is the one read', () => {
  const facts = readKubeletCertificates(rootFs, eff({ rotateCertificates: false, '--kubeconfig': '/etc/kubernetes/merged.conf' }));
  const c = byRole(facts, 'client');
  assert.equal(c.path, '/etc/kubernetes/certs/node1.crt');
  assert.equal(c.subject, 'CN=system:node:node1');
});

test('client certificate embedded in the kubeconfig', () => {
  const facts = readKubeletCertificates(rootFs, eff({ '--kubeconfig': '/etc/kubernetes/embedded.conf' }));
  const c = byRole(facts, 'client');
  assert.equal(c.path, '/etc/kubernetes/embedded.conf');
  assert.equal(c.origin, ORIGIN.kubeconfigClientCertData);
  assert.equal(c.subject, 'CN=system:node:node1');
  assert.equal(c.key?.path, '/etc/kubernetes/certs/node1.key');
  assert.equal(c.key?.exists, false);
});

test('client CA bundle: several CA certificates, the first as leaf, the rest as chain', () => {
  const facts = readKubeletCertificates(rootFs, eff({ 'authentication.x509.clientCAFile': '/etc/kubernetes/pki/ca.crt' }));
  const ca = byRole(facts, 'client-ca');
  assert.equal(ca.origin, ORIGIN.clientCA);
  assert.equal(ca.subject, 'CN=kubernetes');
  assert.equal(ca.selfSigned, true);
  assert.equal(ca.keyType, 'ec');
  assert.equal(ca.chain?.length, 1);
  assert.equal(ca.chain?.[0]?.subject, 'CN=front-proxy-ca');
  assert.equal(ca.chain?.[0]?.keyBits, 2048);
  assert.equal(ca.key, undefined);
});

test('garbage, key-only, empty, a directory and a missing file are errors as data', () => {
  const cases: Array<[string, RegExp]> = [
    ['/etc/kubernetes/pki/garbage.crt', /^not a PEM certificate$/],
    ['/etc/kubernetes/pki/key-only.pem', /^not a PEM certificate \(no CERTIFICATE block\)$/],
    ['/etc/kubernetes/pki/empty.crt', /^empty file$/],
    ['/etc/kubernetes/pki/dir.crt', /^is a directory/],
    ['/etc/kubernetes/pki/nope.crt', /^missing$/],
  ];
  for (const [p, want] of cases) {
    const facts = readKubeletCertificates(rootFs, eff({ 'authentication.x509.clientCAFile': p }));
    const ca = byRole(facts, 'client-ca');
    assert.match(ca.error ?? '', want, p);
    assert.equal(ca.subject, undefined);
    assertNoSecrets(facts);
  }
});

test('a serving certificate that is a directory', () => {
  const facts = readKubeletCertificates(rootFs, eff({ tlsCertFile: '/etc/kubernetes/pki/dir.crt', tlsPrivateKeyFile: '/etc/kubernetes/pki/kubelet-serving.key' }));
  const s = byRole(facts, 'serving');
  assert.match(s.error ?? '', /^is a directory/);
  assert.equal(s.stat.type, 'dir');
});

test('a broken CERTIFICATE block is an error, as it is for the kubelet', () => {
  const p = parsePem(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'));
  assert.equal(p.ok, false);
  assert.match(p.ok ? '' : p.error, /^invalid certificate \(block 1\)/);
});

test('unknown settings give a serving fact that says why, never a guess', () => {
  const e = eff({});
  e['tlsCertFile'] = { value: null, source: { kind: 'config-file' }, unknown: 'the kubelet refuses its --config file' };
  const s = byRole(readKubeletCertificates(rootFs, e), 'serving');
  assert.equal(s.origin, ORIGIN.unknown);
  assert.match(s.error ?? '', /cannot be known: the kubelet refuses/);
});

test('unreadable file: EACCES as data (needs a non-root user)', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not stop reads' : false }, () => {
  put('/etc/kubernetes/pki/secret.crt', read('ca.crt'), 0o000);
  const ca = byRole(readKubeletCertificates(rootFs, eff({ 'authentication.x509.clientCAFile': '/etc/kubernetes/pki/secret.crt' })), 'client-ca');
  assert.match(ca.error ?? '', /^permission denied/);
});

test('unreadable file: EACCES as data, whoever runs the tests', () => {
  const denied = Object.create(rootFs) as RootFs;
  denied.read = (p: string) => ({ ok: false, path: p, code: 'EACCES', error: 'permission denied' });
  const ca = byRole(readKubeletCertificates(denied, eff({ 'authentication.x509.clientCAFile': '/etc/kubernetes/pki/ca.crt' })), 'client-ca');
  assert.equal(ca.error, 'permission denied');
  assert.equal(ca.stat.exists, true);
});

test('a file over 1 MiB is refused, not half-read', () => {
  put('/etc/kubernetes/pki/huge.crt', Buffer.alloc(1024 * 1024 + 1, 0x41));
  const ca = byRole(readKubeletCertificates(rootFs, eff({ 'authentication.x509.clientCAFile': '/etc/kubernetes/pki/huge.crt' })), 'client-ca');
  assert.match(ca.error ?? '', /^too large to read/);
});

test('standalone kubelet (no --kubeconfig, no rotation): no client fact', () => {
  const facts = readKubeletCertificates(rootFs, eff({ rotateCertificates: false }));
  assert.equal(facts.filter((f) => f.role === 'client').length, 0);
});

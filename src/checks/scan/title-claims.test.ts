// Issue 10 §1: "a check's title is a claim; a pass must make it true". For every scan check, the
// title written as a predicate over the raw evidence (probe records, handshake results, what
// --collect read), independent of the check's own reasoning; then every pass the check gives, on
// its own pass cases AND on a shared pool of tricky evidence (partial answers, an identity's reach
// beside the anonymous one, suites or transports not told), must satisfy it. A new scan check
// without an entry here fails the last test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configzToEffective } from '../../scan/collect.ts';
import type { Endpoint, ProbeRecord } from '../../scan/types.ts';
import type { CheckResult } from '../types.ts';
import { KNOWN_CVES } from '../versions/cves.ts';
import { inRange, parseVersion } from '../versions/semver.ts';
import { checks } from './index.ts';
import { endpoint, probe } from './test-support.ts';
import { isHostCheck, type ScanCheck } from './types.ts';

type Claim = (eps: readonly Endpoint[], r: CheckResult) => boolean;
interface Entry {
  /** the title, as a predicate over raw evidence */
  claim: Claim;
  /** evidence on which the check must pass (each: the endpoints of one host) */
  passes: Endpoint[][];
}

const asId = (p: ProbeRecord): ProbeRecord => ({ ...p, withIdentity: true });
const mine = (ep: Endpoint) => (p: ProbeRecord) => (ep.identity === 'anonymous' ? p.withIdentity !== true : p.withIdentity === true);
const anonProbes = (ep: Endpoint) => ep.probes.filter((p) => p.withIdentity !== true);
const EXEC = ['/exec/', '/attach/', '/run/', '/portForward/'];
/** an exec-route answer that comes BEFORE the route runs: unauthenticated, denied, handler off, no route */
const stopped = (p: ProbeRecord) => p.status === 401 || p.status === 403 || (p.status === 405 && /disabled/.test(p.bodyPreview ?? '')) || (p.status === 404 && /page not found/.test(p.bodyPreview ?? ''));
const only = (eps: readonly Endpoint[]) => eps[0]!;
const etcdEp = (e: Endpoint['etcd'], over: Partial<Endpoint> = {}) => endpoint({ port: 2379, service: 'etcd', ...(e ? { etcd: e } : {}), ...over });
const cleanPods = { count: 3, privileged: [], hostPaths: [], serviceAccountTokens: 0, secretEnv: [] };

const TABLE: Record<string, Entry> = {
  'exposure-kubelet-anonymous-alwaysallow': {
    // "does not serve anonymous requests with AlwaysAllow": anonymous requests are refused (401), or some request was denied (AlwaysAllow never denies, §3)
    claim: (eps) => anonProbes(only(eps)).some((p) => p.path === '/pods' && p.status === 401) || only(eps).probes.some((p) => p.status === 403),
    passes: [
      [endpoint({ anonymous: false, probes: [probe('GET', '/pods', 401)] })],
      [endpoint({ anonymous: true, authorization: 'Webhook', probes: [probe('GET', '/pods', 403)] })],
      [endpoint({ identity: 'bearer token', anonymous: true, authorization: 'Webhook', anonymousReachable: ['pods'], probes: [probe('GET', '/pods', 200), asId(probe('GET', '/exec/a/b/c', 403))] })],
    ],
  },
  'exposure-kubelet-anonymous': {
    // "refuses anonymous requests": a request without credentials got 401
    claim: (eps) => anonProbes(only(eps)).some((p) => p.status === 401),
    passes: [[endpoint({ anonymous: false, probes: [probe('GET', '/pods', 401)] })], [endpoint({ identity: 'bearer token', anonymous: false, probes: [probe('GET', '/pods', 401), asId(probe('GET', '/pods', 200))] })]],
  },
  'exposure-kubelet-exec-reachable': {
    // "the scanned identity cannot reach exec, attach, run or portForward": its own requests were refused with 401, or each exec route stopped it
    claim: (eps) => {
      const ep = only(eps);
      const own = ep.probes.filter(mine(ep));
      if (own.some((p) => p.status === 401)) return true;
      return EXEC.every((prefix) => own.some((p) => p.path.startsWith(prefix) && stopped(p))) && !own.some((p) => EXEC.some((x) => p.path.startsWith(x)) && p.status !== undefined && !stopped(p));
    },
    passes: [
      [endpoint({ anonymous: false, probes: [probe('GET', '/pods', 401)] })],
      [endpoint({ identity: 'bearer token', anonymous: false, probes: [probe('GET', '/pods', 401), ...['/exec/a/b/c', '/attach/a/b/c', '/run/a/b/c', '/portForward/a/b'].map((p) => asId(probe('GET', p, 403)))] })],
    ],
  },
  'exposure-kubelet-read-only-port': {
    claim: (eps) => only(eps).state !== 'open',
    passes: [[endpoint({ service: 'kubelet-read-only', port: 10255, state: 'closed' })], [endpoint({ service: 'kubelet-read-only', port: 10255, state: 'filtered' })]],
  },
  'exposure-kubelet-healthz-remote': {
    claim: (eps) => only(eps).state !== 'open',
    passes: [[endpoint({ service: 'kubelet-healthz', port: 10248, state: 'filtered' })]],
  },
  'exposure-kubelet-self-signed-cert': {
    // "serves a certificate signed by a CA": issued by another name than its own, and not the kubelet's throwaway `-ca@` pair
    claim: (eps) => {
      const t = only(eps).tls;
      return !!t?.subject && !!t.issuer && t.subject !== t.issuer && !/-ca@\d+/.test(t.issuer);
    },
    passes: [[endpoint({ tls: { subject: 'CN=node-1', issuer: 'CN=kubernetes', selfSigned: false } })]],
  },
  'exposure-kubelet-weak-tls': {
    // "accepts only TLS 1.2+ with strong cipher suites": every old version refused and every weak suite answered and refused
    claim: (eps) => {
      const t = only(eps).tls;
      if (!t?.protocols || !t.weakCiphers) return false;
      const oldTold = ['TLSv1', 'TLSv1.1'].every((v) => !t.protocols!.includes(v) && !(t.protocolsUntold ?? []).includes(v));
      return oldTold && t.protocols.every((v) => v === 'TLSv1.2' || v === 'TLSv1.3') && t.weakCiphers.length === 0 && (t.weakCiphersUntold ?? []).length === 0;
    },
    passes: [[endpoint({ tls: { protocols: ['TLSv1.2', 'TLSv1.3'], weakCiphers: [] } })]],
  },
  'exposure-etcd-no-client-auth': {
    // "etcd requires a client certificate": TLS refused a client without one, and plain HTTP on that port was refused
    claim: (eps) => only(eps).etcd?.clientCertRequired === true && only(eps).etcd?.plainHttp === false,
    passes: [[etcdEp({ tls: true, clientCertRequired: true, plainHttp: false, keysReadable: false })]],
  },
  'exposure-etcd-plain-http': {
    claim: (eps) => only(eps).etcd?.tls === true && only(eps).etcd?.plainHttp === false,
    passes: [[etcdEp({ tls: true, clientCertRequired: false, plainHttp: false })]],
  },
  'exposure-etcd-peer-exposed': {
    claim: (eps) => only(eps).state !== 'open',
    passes: [[endpoint({ port: 2380, service: 'etcd-peer', state: 'filtered' })]],
  },
  'exposure-secrets-in-pods': {
    // "no env value in the pod specs the kubelet serves looks like a credential": a complete analysis found none, and no port's analysis found one
    claim: (eps) => {
      const pods = eps.map((e) => e.collected?.pods).filter((p) => p !== undefined);
      return pods.some((p) => !p.error && !p.truncated && !p.limited) && pods.every((p) => p.secretEnv.length === 0);
    },
    passes: [[endpoint({ collected: { pods: cleanPods } }), endpoint({ service: 'kubelet-read-only', port: 10255, collected: { pods: cleanPods } })]],
  },
  'exposure-kubelet-cve': {
    // "the scanned kubelet has no known vulnerability" (per CVE): a version was read and is outside the affected ranges, or the live config avoids the flaw
    claim: (eps, r) => {
      const cve = KNOWN_CVES.find((c) => r.subject?.endsWith(c.id));
      const versions = eps.map((e) => e.collected?.metrics?.kubeletVersion ?? e.version).filter((v): v is string => v !== undefined);
      const v = versions.length > 0 ? parseVersion(versions[0]!) : undefined;
      if (!cve || !v) return false;
      return !cve.affected.some((x) => inRange(v, x)) || eps.some((e) => e.collected?.configz?.effective !== undefined);
    },
    passes: [[endpoint({ version: 'v1.34.1' })], [endpoint({ version: 'v1.31.2', collected: { configz: configzToEffective(Buffer.from(JSON.stringify({ kubeletconfig: {} })), '10.0.0.5') } })]],
  },
};

/** Evidence that has tripped a title before: partial answers, two callers, things not told. As the probes write it (anonymous: false only with its 401). */
const TRICKY: Endpoint[][] = [
  // exec routes: only some answered; refusals only of requests without credentials
  [endpoint({ identity: 'bearer token', anonymous: false, probes: [probe('GET', '/pods', 401), asId(probe('GET', '/exec/a/b/c', 403)), asId(probe('POST', '/run/a/b/c', undefined, 'headers-timeout'))] })],
  [endpoint({ identity: 'bearer token', anonymous: true, authorization: 'Webhook', anonymousReachable: [], probes: ['/exec/a/b/c', '/attach/a/b/c', '/run/a/b/c', '/portForward/a/b'].map((p) => probe('GET', p, 403)) })],
  [endpoint({ anonymous: true, authorization: 'AlwaysAllow', reachable: ['pods', 'exec'], probes: [probe('GET', '/pods', 200), probe('GET', '/exec/a/b/c', 400)] })],
  [endpoint({ identity: 'bearer token', anonymous: true, authorization: 'AlwaysAllow', reachable: ['exec'], anonymousReachable: ['pods', 'exec'], probes: [probe('GET', '/pods', 200)] })],
  [endpoint({ anonymous: null, probes: [probe('GET', '/pods', undefined, 'headers-timeout')] })],
  // TLS: suites or versions not told; a self-issued name that does not verify
  [endpoint({ tls: { protocols: ['TLSv1.2', 'TLSv1.3'], weakCiphers: [], weakCiphersUntold: ['RC4-SHA'] } })],
  [endpoint({ tls: { protocols: ['TLSv1.2'], weakCiphers: [], protocolsUntold: ['TLSv1.1'] } })],
  [endpoint({ tls: { subject: 'CN=node-1@1700000000', issuer: 'CN=node-1-ca@1700000000', selfSigned: true } })],
  [endpoint({ tls: { subject: 'CN=x', issuer: 'CN=x' } })],
  // etcd: TLS with plain HTTP too, or plain HTTP not told
  [etcdEp({ tls: true, clientCertRequired: true, plainHttp: true, keysReadable: true })],
  [etcdEp({ tls: true, clientCertRequired: true, plainHttp: null, keysReadable: false })],
  [etcdEp({ tls: true, clientCertRequired: false })],
  [etcdEp(undefined)],
  // open plain ports
  [endpoint({ service: 'kubelet-read-only', port: 10255, reachable: ['pods'], probes: [probe('GET', '/pods', 200)] })],
  [endpoint({ service: 'kubelet-healthz', port: 10248, reachable: ['healthz'], probes: [probe('GET', '/healthz', 200)] })],
  [endpoint({ port: 2380, service: 'etcd-peer', etcd: { tls: true, clientCertRequired: true } })],
  // pods: one port's analysis broken, the other with a secret; cut analyses
  [endpoint({ collected: { pods: { ...cleanPods, error: 'cut' } } }), endpoint({ service: 'kubelet-read-only', port: 10255, collected: { pods: { ...cleanPods, secretEnv: [{ namespace: 'a', pod: 'b', container: 'c', name: 'TOKEN', fingerprint: '01234567', why: 'name' }] } } })],
  [endpoint({ collected: { pods: { ...cleanPods, truncated: true, limited: 'first 10 of 20' } } })],
  // CVEs: an affected version without configz; a version only on the read-only port; none
  [endpoint({ version: 'v1.30.1' }), endpoint({ service: 'kubelet-read-only', port: 10255, version: 'v1.30.1', reachable: ['pods', 'checkpoint'] })],
  [endpoint({ collected: { metrics: { error: 'GET /metrics answered 403' } } })],
];

function resultsOf(c: ScanCheck, eps: readonly Endpoint[]): CheckResult[] {
  const r = isHostCheck(c) ? c.evaluateHost(eps[0]!.host, eps) : eps.flatMap((ep) => { const x = c.evaluate(ep); return Array.isArray(x) ? x : [x]; });
  return Array.isArray(r) ? r : [r];
}

for (const c of checks) {
  const entry = TABLE[c.meta.id];
  if (!entry) continue;
  test(`${c.meta.id}: "${c.meta.title}" — true on every pass`, () => {
    for (const eps of entry.passes) {
      const rs = resultsOf(c, eps);
      assert.ok(rs.some((r) => r.status === 'pass'), `no pass on its own pass case: ${JSON.stringify(rs.map((r) => [r.status, r.message]))}`);
    }
    for (const eps of [...entry.passes, ...TRICKY, ...Object.values(TABLE).flatMap((e) => e.passes)]) {
      // an endpoint check sees one endpoint at a time: the claim is then about that one
      const groups = isHostCheck(c) ? [eps] : eps.map((ep) => [ep]);
      for (const g of groups) {
        for (const r of resultsOf(c, g)) {
          if (r.status === 'pass') assert.ok(entry.claim(g, r), `pass without the title being true: ${r.message}\n${JSON.stringify(g)}`);
        }
      }
    }
  });
}

test('every scan check has a title claim here (add one for a new check)', () => {
  const missing = checks.map((c) => c.meta.id).filter((id) => !TABLE[id]);
  assert.deepEqual(missing, []);
  assert.deepEqual(Object.keys(TABLE).filter((id) => !checks.some((c) => c.meta.id === id)), [], 'an entry for a check that no longer exists');
});

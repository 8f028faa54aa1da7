// etcd's client (2379) and peer (2380) ports, seen on the node (kubelet-facts §7). Any client
// that gets through etcd's TLS has the whole cluster state, so etcd beyond loopback must demand
// client certificates. Beyond loopback is normal for etcd (API servers and peers reach it); what
// decides is its TLS, read from the etcd component facts:
// - etcd (client/pkg/transport/listener.go TLSInfo.ServerConfig) requires and verifies client
//   certificates when --client-cert-auth is true OR --trusted-ca-file is set (peer: the peer-*
//   flags), on https:// listen URLs only; an http:// URL has no TLS at all;
// - a flag not on the command line may come from its ETCD_* variable, and --config-file makes
//   etcd ignore both (etcd.io v3.5 configuration docs); defaults: listen URLs
//   http://localhost:2379 / :2380, no client certificate auth.
// Verdicts: pass when the facts show client certificates required on every URL beyond
// loopback; fail when they show a plain-HTTP URL beyond loopback or TLS without client
// certificates (both critical); otherwise a note (unknown, info): whether TLS protects it is not
// known from this evidence.
import type { ComponentFacts, ComponentFlag, Listener, NodeFacts } from '../../facts/types.ts';
import type { Check, CheckResult, Evidence, Severity } from '../types.ts';
import { absenceDoubt, attributionNote, canon, describe, gate, isLoopbackAddr, isWildcard, listenerEvidence, onPort, type Scan } from './common.ts';

interface Role {
  port: number;
  name: string;
  urls: string;
  /** further listen URLs of the same port (etcd 3.5+ --listen-client-http-urls) */
  moreUrls?: string;
  auth: string;
  ca: string;
}

const ROLES: Role[] = [
  { port: 2379, name: 'client', urls: 'listen-client-urls', moreUrls: 'listen-client-http-urls', auth: 'client-cert-auth', ca: 'trusted-ca-file' },
  { port: 2380, name: 'peer', urls: 'listen-peer-urls', auth: 'peer-client-cert-auth', ca: 'peer-trusted-ca-file' },
];

const FLAG_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** The last occurrence of a flag (names compared without dashes); a command-line flag wins over an ETCD_* one. */
function flagOf(c: ComponentFacts, name: string): ComponentFlag | undefined {
  const all = c.flags.filter((f) => f.name.replace(/^-+/, '') === name);
  return all.filter((f) => f.text.startsWith('-')).at(-1) ?? all.at(-1);
}

/** An entry that is no flag name marks settings the evidence could not read (an unreadable environment). */
function envUnknown(c: ComponentFacts): string | undefined {
  const u = c.flags.filter((f) => !FLAG_NAME.test(f.name.replace(/^-+/, '')));
  return u.length > 0 ? u.map((f) => f.text).join('; ') : undefined;
}

function goBool(v: string): boolean | undefined {
  if (v === '' || ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true; // a bare bool flag
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function flagEvidence(f: ComponentFlag): Evidence {
  return { setting: `--${f.name.replace(/^-+/, '')}`, value: f.value, ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}), note: f.text };
}

type Tls = { kind: 'required'; why: string } | { kind: 'bad'; severity: Severity; why: string } | { kind: 'unknown'; why: string };

function tlsOf(facts: NodeFacts, role: Role, evidence: Evidence[]): Tls {
  const comps = facts.controlPlane?.components.filter((c) => c.name === 'etcd') ?? [];
  if (comps.length === 0) return { kind: 'unknown', why: 'no etcd manifest or process was found on this node, so its TLS settings are not known' };
  const c = comps[0]!;
  if (c.unknown) return { kind: 'unknown', why: `etcd's settings cannot be known: ${c.unknown}` };
  const env = envUnknown(c);
  const urlsF = flagOf(c, role.urls);
  const authF = flagOf(c, role.auth);
  const caF = flagOf(c, role.ca);
  const moreF = role.moreUrls ? flagOf(c, role.moreUrls) : undefined;
  for (const f of [urlsF, moreF, authF, caF]) if (f) evidence.push(flagEvidence(f));
  const split = (v: string) => v.split(',').map((u) => u.trim()).filter(Boolean);
  const tlsUrls = urlsF ? split(urlsF.value) : env ? undefined : [`http://localhost:${role.port}`];
  if (!tlsUrls) return { kind: 'unknown', why: `--${role.urls} is not on etcd's command line and its ETCD_* variable cannot be read (${env})` };
  const urls = [...tlsUrls, ...(moreF ? split(moreF.value) : [])];
  const beyond = urls.filter((u) => {
    const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:]*)/i.exec(u);
    return !m || !isLoopbackAddr(m[2]!);
  });
  if (beyond.length === 0) {
    return { kind: 'unknown', why: `etcd's ${role.name} URLs are loopback only (${urls.join(', ')}${urlsF ? '' : ', the default'}), yet the port is reachable beyond loopback: another etcd, or another program, holds it` };
  }
  const plain = beyond.filter((u) => /^http:\/\//i.test(u));
  if (plain.length > 0) {
    return { kind: 'bad', severity: 'critical', why: `etcd's ${role.name} URLs include ${plain.join(', ')}: plain HTTP, no TLS, so no client certificate can be asked for — whoever reaches it reads and writes the whole cluster state` };
  }
  const auth = authF ? goBool(authF.value) : undefined;
  const ca = caF ? caF.value : undefined;
  if (auth === true || (ca !== undefined && ca !== '')) {
    const by = auth === true ? authF!.text : `${caF!.text} (a trusted CA alone makes etcd require client certificates)`;
    return { kind: 'required', why: `etcd requires client certificates on its ${role.name} URLs (${by}); the etcd checks judge which CA it trusts` };
  }
  if (env && (!authF || !caF)) return { kind: 'unknown', why: `neither --${role.auth} nor --${role.ca} is on etcd's command line, and its ETCD_* variables cannot be read (${env})` };
  // critical like a plain URL: TLS without client certificates lets whoever reaches it in just as
  // wide (etcd-client-cert-auth and etcd-peer-client-cert-auth give the same fact the same severity)
  return {
    kind: 'bad',
    severity: 'critical',
    why: `etcd serves TLS on its ${role.name} URLs but requires no client certificate (${authF ? authF.text : `no --${role.auth}`}, no --${role.ca}): any ${role.name === 'client' ? 'client' : 'peer'} that reaches it reads and writes the whole cluster state`,
  };
}

function judge(facts: NodeFacts, lf: Scan, role: Role): CheckResult {
  const subject = `port ${role.port} (etcd ${role.name})`;
  const seen: Listener[] = onPort(lf, role.port);
  const evidence: Evidence[] = seen.map((l) => listenerEvidence(l));
  if (seen.length === 0) {
    const doubt = absenceDoubt(facts, lf);
    if (doubt) return { status: 'unknown', subject, message: `nothing listens on port ${role.port} in the network namespace this audit sees, but ${doubt}`, evidence };
    return { status: 'pass', subject, message: `nothing listens on port ${role.port}`, evidence };
  }
  const beyond = seen.filter((l) => !isLoopbackAddr(l.address));
  if (beyond.length === 0) return { status: 'pass', subject, message: `${seen.map(describe).join(', ')}: loopback only${attributionNote(lf, seen)}`, evidence };
  const where = beyond.map(describe).join(', ');
  const notEtcd = beyond.filter((l) => l.process !== undefined && l.process !== 'etcd');
  const other = notEtcd.length > 0 ? ` (held by ${notEtcd.map((l) => l.process).join(', ')}, which is not named etcd)` : '';
  const tls = tlsOf(facts, role, evidence);
  const scope = beyond.some((l) => isWildcard(l.address)) ? 'every interface' : uniqAddr(beyond).join(', ');
  if (tls.kind === 'required') return { status: 'pass', subject, message: `${where}: beyond loopback (${scope}), and ${tls.why}${other}`, evidence };
  if (tls.kind === 'bad') {
    return {
      status: 'fail',
      severity: tls.severity,
      subject,
      message: `${where}: reachable beyond loopback (${scope}); ${tls.why}${other}`,
      evidence,
      remediation: `Serve etcd on https:// URLs only with --cert-file/--key-file, and set --${role.auth}=true with --${role.ca} pointing at a CA dedicated to etcd (kubeadm: /etc/kubernetes/manifests/etcd.yaml); or bind --${role.urls} to loopback if nothing else needs it.`,
    };
  }
  return {
    status: 'unknown',
    severity: 'info',
    subject,
    message: `${where}: reachable beyond loopback (${scope}), which is normal for etcd; whether it requires client certificates is not known: ${tls.why}${other}`,
    evidence,
  };
}

function uniqAddr(ls: Listener[]): string[] {
  return [...new Set(ls.map((l) => canon(l.address)))];
}

export const listenerEtcd: Check = {
  meta: {
    id: 'listener-etcd',
    title: 'etcd beyond loopback requires client certificates',
    section: 'listeners',
    severity: 'high',
    emits: [
      { severity: 'critical', when: "etcd's port is open beyond loopback and asks no client certificate (plain HTTP, or TLS without --client-cert-auth/--trusted-ca-file): as etcd-client-plain-http and etcd-client-cert-auth judge the same fact" },
      { severity: 'info', when: 'unknown: the port is open beyond loopback, which is normal for etcd, and whether TLS protects it is not known from this evidence' },
    ],
    cis: [],
    rationale:
      "etcd holds the whole cluster state, Secrets included, and answers every client its TLS lets through: reached beyond loopback without client certificates it is a way around the API server, its authorization and its audit log.",
    remediation: 'Serve etcd on https:// only, with --client-cert-auth=true and --peer-client-cert-auth=true and trusted CA files dedicated to etcd; bind to loopback what needs no remote client.',
  },
  evaluate(facts) {
    const g = gate(facts);
    if (g.kind === 'result') return g.result;
    return ROLES.map((r) => judge(facts, g.lf, r));
  },
};

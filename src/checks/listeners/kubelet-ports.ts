// What the running kubelet listens on, against its effective configuration (kubelet-facts §1):
//   secure API   address:port              (enableServer, default 0.0.0.0:10250)
//   read-only    address:readOnlyPort      (readOnlyPort > 0; flag default 10255, config default 0)
//   healthz      healthzBindAddress:healthzPort (healthzPort > 0; default 127.0.0.1:10248)
// One result per listener kind. A pass says the node listens as the configuration on disk says;
// a mismatch says the running kubelet does not run that configuration (a restart is pending, it
// could not bind, or another kubelet or program holds the port) — and then every kubelet check,
// which judges the configuration on disk, may be judging something that is not running.
import type { EffectiveSetting, NodeFacts } from '../../facts/types.ts';
import { describeSource, evidenceOf, lookup } from '../setting.ts';
import type { Check, CheckResult, Evidence, Severity } from '../types.ts';
import { absenceDoubt, attributionNote, canon, describe, gate, hostPort, isLoopbackAddr, isWildcard, kubeletPid, listenerEvidence, notKubelet, onPort, ownerOf, uniq, who, type Scan } from './common.ts';

interface Kind {
  label: string;
  /** the setting that turns it on or off, and the address and port settings */
  onSetting: string;
  addressSetting: string;
  portSetting: string;
  /** the port watched when the port setting is 0 (off) or unknown */
  defaultPort: number;
  isOn: (on: EffectiveSetting, port: EffectiveSetting) => boolean;
}

const KINDS: Kind[] = [
  { label: 'secure API', onSetting: 'enableServer', addressSetting: 'address', portSetting: 'port', defaultPort: 10250, isOn: (on) => on.value === true },
  { label: 'read-only API', onSetting: 'readOnlyPort', addressSetting: 'address', portSetting: 'readOnlyPort', defaultPort: 10255, isOn: (on) => typeof on.value === 'number' && on.value > 0 },
  { label: 'healthz', onSetting: 'healthzPort', addressSetting: 'healthzBindAddress', portSetting: 'healthzPort', defaultPort: 10248, isOn: (on) => typeof on.value === 'number' && on.value > 0 },
];

function offWords(k: Kind, on: EffectiveSetting): string {
  return k.onSetting === 'enableServer' ? `enableServer is ${String(on.value)}` : `${k.onSetting} is ${String(on.value)}`;
}

function judge(facts: NodeFacts, lf: Scan, k: Kind): CheckResult {
  const settings = [...new Set([k.onSetting, k.addressSetting, k.portSetting])];
  const looked = settings.map((s) => ({ s, l: lookup(facts, s) }));
  const evidence: Evidence[] = [];
  for (const { s, l } of looked) if (l.ok) evidence.push(evidenceOf(s, l.s));
  const portL = lookup(facts, k.portSetting);
  const portValue = portL.ok && typeof portL.s.value === 'number' && portL.s.value > 0 ? portL.s.value : k.defaultPort;
  const bad = looked.find((x) => !x.l.ok);
  const onL = lookup(facts, k.onSetting);
  const on = onL.ok && portL.ok ? k.isOn(onL.s, portL.s) : undefined;
  // The configured port, or the usual one when the setting that turns it off is the port itself.
  const watch = portValue;
  // A port held by a named process that is no kubelet (nor embeds one) is not the kubelet's
  // listener (issue 10 §4): it is named, and the kubelet's own listeners are judged without it.
  const all = onPort(lf, watch);
  const foreign = all.filter((l) => ownerOf(facts, l).kind === 'other');
  const seen = all.filter((l) => !foreign.includes(l));
  evidence.push(...all.map((l) => listenerEvidence(l, ownerOf(facts, l).words)));
  const subject = `kubelet ${k.label} (port ${watch})`;
  const foreignText = foreign.length > 0 ? `; port ${watch} is held by ${uniq(foreign.map((l) => ownerOf(facts, l).words)).join('; ')}` : '';
  const seenText = (seen.length > 0 ? seen.map(describe).join(', ') : `no kubelet listens on port ${watch}`) + foreignText;

  if (bad && !bad.l.ok) {
    return { status: 'unknown', subject, message: `the kubelet's ${k.label} settings cannot be known (${bad.s}: ${bad.l.why}); on the node: ${seenText}`, evidence };
  }
  const pid = kubeletPid(facts);
  if (pid === undefined) {
    return {
      status: 'not-applicable',
      subject,
      message: `no running kubelet process was found (its configuration was read from ${facts.kubelet.invocation?.from === 'systemd-unit' ? 'its systemd unit' : 'the evidence given'}), so there is no running kubelet to compare; on the node: ${seenText}`,
      evidence,
    };
  }
  const onS = onL.ok ? onL.s : undefined;
  const addrL = lookup(facts, k.addressSetting);
  const addr = addrL.ok && typeof addrL.s.value === 'string' ? addrL.s.value : '';
  const others = notKubelet(facts, seen);
  const held = others.length > 0 ? ` ${others.map(who).join(', ')} hold${others.length === 1 ? 's' : ''} it, not the audited kubelet (pid ${pid}).` : '';
  const drift = 'The running kubelet does not run the configuration on disk: a restart is pending (systemctl restart kubelet), or another kubelet or program holds the port; the kubelet checks judge the configuration on disk.';

  const doubt = seen.length === 0 ? absenceDoubt(facts, lf) : undefined;
  if (doubt) {
    return { status: 'unknown', subject, message: `no kubelet listens on port ${watch} in the network namespace this audit sees${foreignText}, but ${doubt}`, evidence };
  }
  if (!on) {
    if (seen.length === 0) {
      return { status: 'pass', subject, message: `the ${k.label} is off (${offWords(k, onS!)}; ${describeSource(onS!)}) and no kubelet listens on port ${watch}${foreignText}`, evidence };
    }
    const severity: Severity = seen.every((l) => isLoopbackAddr(l.address)) ? 'low' : 'medium';
    return {
      status: 'fail',
      severity,
      subject,
      message: `the effective configuration turns the ${k.label} off (${offWords(k, onS!)}; ${describeSource(onS!)}), yet ${seenText} listens.${held} ${drift}`,
      evidence,
      remediation: `Restart the kubelet so it runs its configuration (systemctl daemon-reload && systemctl restart kubelet); if port ${watch} stays open, find what holds it (ss -ltnp 'sport = :${watch}') and stop it.`,
    };
  }

  const want = hostPort(addr === '' ? '0.0.0.0' : addr, watch);
  if (seen.length === 0) {
    return {
      status: 'fail',
      severity: 'low',
      subject,
      message: `the effective configuration has the kubelet serve its ${k.label} on ${want} (${describeSource(addrL.ok ? addrL.s : onS!)}), yet no kubelet listens on port ${watch}${foreignText}: the running kubelet (pid ${pid}) does not run this configuration (a restart is pending) or could not bind the port`,
      evidence,
      remediation: 'Restart the kubelet (systemctl daemon-reload && systemctl restart kubelet) and read its log (journalctl -u kubelet) for a bind error.',
    };
  }
  const match = isWildcard(addr) ? seen.every((l) => isWildcard(l.address)) : seen.every((l) => canon(l.address) === canon(addr));
  if (match && others.length === 0) {
    const dual = isWildcard(addr) && seen.some((l) => l.proto === 'tcp6') ? ' (Go listens on a wildcard address with one dual-stack IPv6 socket, so 0.0.0.0 shows as ::)' : '';
    return {
      status: 'pass',
      subject,
      message: `the ${k.label} listens as configured: ${seenText}; the effective configuration says ${want}${dual}${attributionNote(lf, seen)}`,
      evidence,
    };
  }
  const wider = isLoopbackAddr(addr) && seen.some((l) => !isLoopbackAddr(l.address));
  return {
    status: 'fail',
    severity: 'medium',
    subject,
    message: `${seenText} listens, but the effective configuration says ${want} (${describeSource(addrL.ok ? addrL.s : onS!)})${wider ? ': it is reachable beyond loopback although the configuration keeps it on loopback' : ''}.${held} ${drift}`,
    evidence,
    remediation: `Restart the kubelet so it runs its configuration (systemctl daemon-reload && systemctl restart kubelet), then check again (ss -ltnp 'sport = :${watch}'); if another kubelet or program holds the port, stop it.`,
  };
}

export const listenerKubeletPorts: Check = {
  meta: {
    id: 'listener-kubelet-ports',
    title: "The kubelet's listeners match its effective configuration",
    section: 'listeners',
    severity: 'medium',
    emits: [
      { severity: 'low', when: 'the mismatch is harmless to reach: the listener the configuration turns off is on loopback only, or a configured listener is missing (a restart is pending)' },
    ],
    cis: [],
    rationale:
      "Every kubelet check judges the configuration on disk. If the running kubelet listens elsewhere — a read-only port that the configuration turns off, healthz beyond loopback while healthzBindAddress is 127.0.0.1 — it runs another configuration (a restart is pending, or another kubelet runs), and the node is not what the audit of its files says.",
    remediation: 'Restart the kubelet so it runs its configuration (systemctl daemon-reload && systemctl restart kubelet); if a port stays open, find and stop what holds it (ss -ltnp).',
  },
  evaluate(facts) {
    const g = gate(facts);
    if (g.kind === 'result') return g.result;
    return KINDS.map((k) => judge(facts, g.lf, k));
  },
};

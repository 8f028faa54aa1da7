// CIS 4.2.11. Feature gate RotateKubeletServerCertificate: default true since v1.12
// (kubelet-facts §4 table). Gates merge key by key (§5.4); the effective map is
// effective['featureGates'], and `featureGates.<Gate>` exists when the gate is named anywhere.
import type { Check, CheckResult } from '../types.ts';
import { describeSource, evidenceOf, lookup } from '../setting.ts';
import { atLeast, RESTART, whereSet } from './helpers.ts';

const GATE = 'RotateKubeletServerCertificate';
const SETTING = `featureGates.${GATE}`;

export const rotateServerCertificatesGate: Check = {
  meta: {
    id: 'kubelet-rotate-server-certificate-gate',
    title: 'The RotateKubeletServerCertificate feature gate is not turned off',
    section: 'cis-4.2',
    severity: 'medium',
    cis: ['4.2.11'],
    setting: SETTING,
    rationale:
      'With the gate off the kubelet cannot request or rotate its serving certificate by CSR (serverTLSBootstrap fails validation), so it falls back to a long-lived or self-signed serving certificate that clients cannot verify or that stays valid after compromise.',
    remediation: `Remove ${GATE}=false from featureGates / --feature-gates (the default is true) and restart the kubelet.`,
    noFix: 'a feature gate is a map entry in featureGates or a word of --feature-gates: change it by hand',
  },
  evaluate: (facts): CheckResult => {
    const gates = lookup(facts, 'featureGates');
    if (!gates.ok) return { status: 'unknown', message: `featureGates cannot be known: ${gates.why}` };
    const one = facts.kubelet.effective[SETTING];
    if (!one) {
      if (atLeast(facts, 1, 12) === false) {
        return { status: 'fail', message: `${GATE} is not set and defaults to false before v1.12`, evidence: [evidenceOf('featureGates', gates.s)], remediation: `Set featureGates: {${GATE}: true} in the kubelet config file; ${RESTART}` };
      }
      return { status: 'pass', message: `${GATE} is not named anywhere: on by default (beta since v1.12)`, evidence: [evidenceOf('featureGates', gates.s)] };
    }
    const evidence = [evidenceOf(SETTING, one)];
    if (one.value === true) return { status: 'pass', message: `${GATE} is on; ${describeSource(one)}`, evidence };
    const where = whereSet(one.source);
    const remediation =
      one.source.kind === 'flag'
        ? `${where}: in \`${one.source.detail ?? '--feature-gates'}\`, remove ${GATE}=false (or set it to true); a flag overrides the config file; ${RESTART}`
        : `${where}: remove \`${GATE}: false\` from featureGates (or set it to true); ${RESTART}`;
    return { status: 'fail', message: `${GATE} is turned off; ${describeSource(one)}`, evidence, remediation };
  },
};

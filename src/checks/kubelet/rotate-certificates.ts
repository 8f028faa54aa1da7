// CIS 4.2.10. rotateCertificates defaults to false for both the config file and the flag
// (kubelet-facts §4), so "not set" is false; kubeadm's config.yaml sets it true (§6).
import type { Check } from '../types.ts';
import { expectBool } from '../setting.ts';

const SETTING = 'rotateCertificates';

export const rotateCertificates: Check = {
  meta: {
    id: 'kubelet-rotate-certificates',
    // "is on", not "rotates": rotation also needs its CSRs approved, which the node does not show.
    title: 'Client certificate rotation is on (rotateCertificates)',
    section: 'cis-4.2',
    severity: 'medium',
    cis: ['4.2.10'],
    setting: SETTING,
    rationale:
      'Without rotation the kubelet keeps its client certificate until it expires: a stolen kubelet credential (system:node:<name>) stays valid for its whole lifetime, and an expired one takes the node offline.',
    remediation: 'Set rotateCertificates: true in the kubelet config file (or --rotate-certificates) and restart the kubelet.',
  },
  evaluate: expectBool(SETTING, true, 'client certificate rotation is on', 'client certificate rotation is off'),
};

// CIS 4.2.7. --hostname-override is a flag only (no config field); an empty value means the
// kubelet uses the OS hostname (nodeutil.GetHostname).
import type { Check } from '../types.ts';
import { judgeSetting } from '../setting.ts';

const SETTING = '--hostname-override';

export const hostnameOverride: Check = {
  meta: {
    id: 'kubelet-hostname-override',
    title: 'The kubelet does not override its hostname',
    section: 'cis-4.2',
    severity: 'low',
    cis: ['4.2.7'],
    setting: SETTING,
    rationale:
      'Overriding the hostname can break TLS between the API server and the kubelet, whose certificates are issued for the host name, and makes the node\'s identity a command-line value. Some cloud setups require it (to match the cloud instance name); then this finding is expected.',
    remediation: 'Remove --hostname-override from the kubelet command line and restart the kubelet.',
  },
  evaluate: (facts) =>
    judgeSetting(
      facts,
      SETTING,
      (v) =>
        typeof v === 'string' && v.trim() !== ''
          ? { pass: false, message: `the node name is overridden to ${v}` }
          : { pass: true, message: 'the hostname is not overridden' },
      { want: '', flag: '' }, // fixSetting: "remove `--hostname-override=…`" where it is written
    ),
};

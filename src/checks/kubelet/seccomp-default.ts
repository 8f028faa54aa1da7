// CIS 4.2.14. seccompDefault default false; the kubelet uses the flag OR the config field
// (kubelet-facts §4; cmd/kubelet/app/server.go passes `SeccompDefault || KubeletConfiguration.SeccompDefault`).
import type { Check } from '../types.ts';
import { judgeSetting } from '../setting.ts';

const SETTING = 'seccompDefault';

export const seccompDefault: Check = {
  meta: {
    id: 'kubelet-seccomp-default',
    title: 'Containers run with the RuntimeDefault seccomp profile by default',
    section: 'cis-4.2',
    severity: 'low',
    cis: ['4.2.14'],
    setting: SETTING,
    rationale:
      'Without seccompDefault, every container that does not ask for a profile runs Unconfined: an attacker in the container can use the whole syscall surface of the shared host kernel (unshare, keyctl, …), which many kernel exploits used for container escapes rely on.',
    remediation: 'Set seccompDefault: true in the kubelet config file (or --seccomp-default) and restart the kubelet.',
  },
  evaluate: (facts) =>
    judgeSetting(
      facts,
      SETTING,
      (v) =>
        v === true
          ? { pass: true, message: 'containers default to the RuntimeDefault seccomp profile' }
          : { pass: false, message: 'containers without a seccomp profile run Unconfined' },
      { want: true },
    ),
};

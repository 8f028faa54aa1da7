// CIS 4.2.14. seccompDefault default false; the kubelet uses the flag OR the config field
// (kubelet-facts §4; cmd/kubelet/app/server.go passes `SeccompDefault || KubeletConfiguration.SeccompDefault`).
import type { Check } from '../types.ts';
import { expectBool } from '../setting.ts';

const SETTING = 'seccompDefault';

export const seccompDefault: Check = {
  meta: {
    id: 'kubelet-seccomp-default',
    // privileged containers stay unconfined, and a pod may still ask for Unconfined
    title: 'Containers that set no seccomp profile get RuntimeDefault (seccompDefault)',
    section: 'cis-4.2',
    severity: 'low',
    cis: ['4.2.14'],
    setting: SETTING,
    rationale:
      'Without seccompDefault, every container that does not ask for a profile runs Unconfined: an attacker in the container can use the whole syscall surface of the shared host kernel (unshare, keyctl, …), which many kernel exploits used for container escapes rely on.',
    remediation: 'Set seccompDefault: true in the kubelet config file (or --seccomp-default) and restart the kubelet.',
  },
  evaluate: expectBool(SETTING, true, 'containers default to the RuntimeDefault seccomp profile', 'containers without a seccomp profile run Unconfined'),
};

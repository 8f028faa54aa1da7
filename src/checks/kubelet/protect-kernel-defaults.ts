// protectKernelDefaults default false (kubelet-facts §4). With false the kubelet sets six kernel
// tunables to its own values at start; with true it refuses to start if they differ
// (pkg/kubelet/cm/container_manager_linux.go setupKernelTunables: vm.overcommit_memory=1,
// vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1, kernel.keys.root_maxkeys=1000000,
// kernel.keys.root_maxbytes=25000000).
import type { Check } from '../types.ts';
import { expectBool } from '../setting.ts';

const SETTING = 'protectKernelDefaults';

const SYSCTLS = 'vm.overcommit_memory=1, vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1, kernel.keys.root_maxkeys=1000000, kernel.keys.root_maxbytes=25000000';

export const protectKernelDefaults: Check = {
  meta: {
    id: 'kubelet-protect-kernel-defaults',
    title: 'The kubelet does not silently change kernel tunables',
    section: 'kubelet-api',
    severity: 'low',
    cis: [],
    setting: SETTING,
    rationale:
      'With protectKernelDefaults false the kubelet overwrites vm.overcommit_memory, vm.panic_on_oom, kernel.panic, kernel.panic_on_oops and kernel.keys.root_max{keys,bytes} at start, undoing the host\'s own hardening without a trace; with true, a drift is an error the operator sees.',
    remediation:
      'Set the six sysctls to the kubelet\'s values in /etc/sysctl.d (vm.overcommit_memory=1, vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1, kernel.keys.root_maxkeys=1000000, kernel.keys.root_maxbytes=25000000), then set protectKernelDefaults: true (or --protect-kernel-defaults) and restart the kubelet; otherwise it refuses to start.',
    noFix: 'with it on, the kubelet refuses to start unless the six kernel tunables already hold its values, which an audit of the files cannot see: set them in /etc/sysctl.d first, then this setting by hand',
  },
  evaluate: (facts) => {
    const r = expectBool(SETTING, true, 'the kubelet refuses to start rather than change kernel tunables', 'the kubelet overwrites six kernel tunables with its own values at start')(facts);
    // the sysctls first: with the setting alone the kubelet stops at its next start
    return r.status === 'fail' ? { ...r, remediation: `First set the six sysctls to the kubelet's values in /etc/sysctl.d (${SYSCTLS}) and apply them (sysctl --system); then: ${r.remediation ?? ''}` } : r;
  },
};

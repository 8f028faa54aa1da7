// CIS 4.1.1. The kubelet's systemd unit file and its drop-ins decide the kubelet's command line
// (kubelet-facts §6), and explicit flags win over every config file (§5 step 4).
import { fileCheck, MODE_600, unitTargets } from './file-stat.ts';

export const kubeletServicePerms = fileCheck(
  {
    id: 'file-kubelet-service-perms',
    title: 'The kubelet service file and its drop-ins have mode 600 or stricter',
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.1'],
    rationale:
      'Whoever can write the kubelet unit or a drop-in chooses the flags of a root process at its next restart: --anonymous-auth=true --authorization-mode=AlwaysAllow opens command execution in every pod on the node to anyone who reaches port 10250, and ExecStart can name any binary to run as root.',
    remediation: 'chmod 600 /usr/lib/systemd/system/kubelet.service /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf (each unit file and drop-in the kubelet uses)',
  },
  MODE_600,
  unitTargets,
);

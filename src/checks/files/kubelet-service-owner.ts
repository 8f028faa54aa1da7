// CIS 4.1.2. The owner of a file can change its mode at will, so a non-root owner of the kubelet
// unit or a drop-in can rewrite the kubelet's command line (kubelet-facts §5, §6).
import { fileCheck, ROOT_OWNER, unitTargets } from './file-stat.ts';

export const kubeletServiceOwner = fileCheck(
  {
    id: 'file-kubelet-service-owner',
    title: 'The kubelet service file and its drop-ins are owned by root:root',
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.2'],
    rationale:
      'A non-root owner can chmod and rewrite the kubelet unit or a drop-in, and so choose the flags (anonymous access, AlwaysAllow) and the binary of a process that runs as root at the next restart.',
    remediation: 'chown root:root /usr/lib/systemd/system/kubelet.service /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf (each unit file and drop-in the kubelet uses)',
  },
  ROOT_OWNER,
  unitTargets,
);

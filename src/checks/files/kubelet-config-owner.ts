// CIS 4.1.10. The --config file and the --config-dir drop-ins (kubelet-facts §5).
import { configTargets, fileCheck, ROOT_OWNER } from './file-stat.ts';

export const kubeletConfigOwner = fileCheck(
  {
    id: 'file-kubelet-config-owner',
    title: 'The kubelet config file and its drop-ins are owned by root:root',
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.10'],
    rationale:
      "A non-root owner of the kubelet's config file or a drop-in can chmod and rewrite it, turning on anonymous access and AlwaysAllow authorization at the next restart.",
    remediation: 'chown root:root /var/lib/kubelet/config.yaml (the --config file, and each --config-dir drop-in)',
  },
  ROOT_OWNER,
  configTargets,
);

// CIS 4.1.9. The --config file and the --config-dir drop-ins (kubelet-facts §5): drop-ins patch the
// configuration just as the file does, so they are judged by the same rule.
import { configTargets, fileCheck, MODE_600 } from './file-stat.ts';

export const kubeletConfigPerms = fileCheck(
  {
    id: 'file-kubelet-config-perms',
    title: 'The kubelet config file and its drop-ins have mode 600 or stricter',
    section: 'cis-4.1',
    severity: 'medium',
    cis: ['4.1.9'],
    rationale:
      "Whoever can write the kubelet's config file or a drop-in sets authentication.anonymous.enabled: true and authorization.mode: AlwaysAllow (or readOnlyPort: 10255) at the next restart: command execution in every pod on the node for anyone who reaches it.",
    remediation: 'chmod 600 /var/lib/kubelet/config.yaml (the --config file, and each --config-dir drop-in)',
  },
  MODE_600,
  configTargets,
);

// CIS 1.1.17 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { componentKubeconfigTargets } from './common.ts';

export const cpFileControllerManagerConfPerms = fileCheck(
  {
    id: 'cp-file-controller-manager-conf-perms',
    title: 'The controller manager kubeconfig has mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.17'],
    rationale:
      "controller-manager.conf holds the controller manager's client credentials, which can read every Secret and create tokens for every service account.",
    remediation: 'chmod 600 /etc/kubernetes/controller-manager.conf',
  },
  MODE_600,
  componentKubeconfigTargets('kube-controller-manager'),
);

// CIS 1.1.18 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { ROOT_OWNER, fileCheck } from '../files/file-stat.ts';
import { componentKubeconfigTargets } from './common.ts';

export const cpFileControllerManagerConfOwner = fileCheck(
  {
    id: 'cp-file-controller-manager-conf-owner',
    title: 'The controller manager kubeconfig is owned by root:root',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.18'],
    rationale:
      "The owner of controller-manager.conf can read the controller manager's credentials in it.",
    remediation: 'chown root:root /etc/kubernetes/controller-manager.conf',
  },
  ROOT_OWNER,
  componentKubeconfigTargets('kube-controller-manager'),
);

// CIS 1.1.14 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { ROOT_OWNER, fileCheck } from '../files/file-stat.ts';
import { adminConfTargets } from './common.ts';

export const cpFileAdminConfOwner = fileCheck(
  {
    id: 'cp-file-admin-conf-owner',
    title: 'The admin kubeconfig files are owned by root:root',
    section: 'cis-1.1',
    severity: 'critical',
    cis: ['1.1.14'],
    rationale:
      'The owner of admin.conf or super-admin.conf can read the cluster-admin credentials in it.',
    remediation: 'chown root:root /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf',
  },
  ROOT_OWNER,
  adminConfTargets,
);

// CIS 1.1.13 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { adminConfTargets } from './common.ts';

export const cpFileAdminConfPerms = fileCheck(
  {
    id: 'cp-file-admin-conf-perms',
    title: 'The admin kubeconfig files have mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'critical',
    cis: ['1.1.13'],
    rationale:
      'admin.conf and super-admin.conf hold cluster-admin (super-admin.conf: system:masters, which no RBAC rule can limit) client credentials: whoever reads them owns the cluster.',
    remediation: 'chmod 600 /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf',
  },
  MODE_600,
  adminConfTargets,
);

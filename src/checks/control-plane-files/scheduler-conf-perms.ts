// CIS 1.1.15 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { componentKubeconfigTargets } from './common.ts';

export const cpFileSchedulerConfPerms = fileCheck(
  {
    id: 'cp-file-scheduler-conf-perms',
    title: 'The scheduler kubeconfig has mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'medium',
    cis: ['1.1.15'],
    rationale:
      "scheduler.conf holds the scheduler's client credentials: whoever reads it binds any pod to any node.",
    remediation: 'chmod 600 /etc/kubernetes/scheduler.conf',
  },
  MODE_600,
  componentKubeconfigTargets('kube-scheduler'),
);

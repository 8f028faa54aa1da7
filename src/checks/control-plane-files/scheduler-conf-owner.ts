// CIS 1.1.16 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { ROOT_OWNER, fileCheck } from '../files/file-stat.ts';
import { componentKubeconfigTargets } from './common.ts';

export const cpFileSchedulerConfOwner = fileCheck(
  {
    id: 'cp-file-scheduler-conf-owner',
    title: 'The scheduler kubeconfig is owned by root:root',
    section: 'cis-1.1',
    severity: 'medium',
    cis: ['1.1.16'],
    rationale:
      "The owner of scheduler.conf can read the scheduler's credentials in it.",
    remediation: 'chown root:root /etc/kubernetes/scheduler.conf',
  },
  ROOT_OWNER,
  componentKubeconfigTargets('kube-scheduler'),
);

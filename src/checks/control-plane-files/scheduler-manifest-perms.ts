// CIS 1.1.5 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { manifestTargets } from './common.ts';

export const cpFileSchedulerManifestPerms = fileCheck(
  {
    id: 'cp-file-scheduler-manifest-perms',
    title: 'The scheduler pod specification file has mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.5'],
    rationale:
      'Whoever can write the scheduler manifest runs any command on this node at the next kubelet sync (a static pod runs without admission).',
    remediation: 'chmod 600 /etc/kubernetes/manifests/kube-scheduler.yaml',
  },
  MODE_600,
  manifestTargets('kube-scheduler'),
);

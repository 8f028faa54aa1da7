// CIS 1.1.3 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { manifestTargets } from './common.ts';

export const cpFileControllerManagerManifestPerms = fileCheck(
  {
    id: 'cp-file-controller-manager-manifest-perms',
    title: 'The controller manager pod specification file has mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.3'],
    rationale:
      "Whoever can write the controller manager manifest runs any command as root on this node at the next kubelet sync (a static pod), with the cluster's signing key mounted.",
    remediation: 'chmod 600 /etc/kubernetes/manifests/kube-controller-manager.yaml',
  },
  MODE_600,
  manifestTargets('kube-controller-manager'),
);

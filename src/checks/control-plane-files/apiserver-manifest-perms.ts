// CIS 1.1.1 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { manifestTargets } from './common.ts';

export const cpFileApiserverManifestPerms = fileCheck(
  {
    id: 'cp-file-apiserver-manifest-perms',
    title: 'The API server pod specification file has mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.1'],
    rationale:
      'Whoever can write the API server manifest changes its flags (--authorization-mode=AlwaysAllow, --anonymous-auth) and the kubelet restarts it with them; whoever can read it learns the paths of every key it uses.',
    remediation: 'chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml',
  },
  MODE_600,
  manifestTargets('kube-apiserver'),
);
